using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Federation;
using Ribat.Core.Indicators;
using Ribat.Core.Node;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Stix.Serialization;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Federation;

/// <summary>
/// A local indicator's current STIX versions (its indicator's and its observable's) are served from its row (ADR 0017),
/// and a row recorded before that keeps its versions in <c>stix_objects</c> without JSON, rendered when read: what is
/// rendered must be, byte for byte, what would have been stored, and an older version must go on saying what it said,
/// at the date it was added, once the indicator changes.
/// </summary>
public abstract class RenderedVersionTests(RibatFactory node)
{
    private const string Yara = "rule Demo_Dropper : dropper\n{\n  strings:\n    $mz = { 4D 5A }\n    $s = \"invoice.exe\" nocase\n  condition:\n    $mz at 0 and $s\n}\n";

    private static readonly IndicatorInput[] Inputs =
    [
        new("ipv4", "198.51.100.7", "C2 «relay» \"quoted\" \\ back\nline", ["c2", "apt-x"], 80),
        new("ipv6", "2001:DB8:0:0::1", Confidence: 0),
        new("cidr", "198.51.100.0/24"),
        new("cidr", "2001:db8::/32"),
        new("domain", "bücher.example", ValidUntil: DateTimeOffset.Parse("2031-05-06T07:08:09.987654Z")),
        new("hostname", "mail.example.org", ValidFrom: DateTimeOffset.Parse("2020-01-02T03:04:05.1234567Z")),
        new("url", "hxxps://login.example[.]org/reset?x='1'&y=\\2"),
        new("email", "Someone@Example.org"),
        new("md5", "D41D8CD98F00B204E9800998ECF8427E"),
        new("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        new("sha256", new string('a', 64)),
        new("sha512", new string('b', 128)),
        new("ssdeep", "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C"),
        new("asn", "AS64500"),
        new("file-name", "invoice 'final'.exe"),
        new("btc-address", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"),
        new("eth-address", "0x52908400098527886E0F7030069857D2E4169EE7"),
        new("iban", "DE89370400440532013000"),
        new("user-account", "someone"),
        new("ja3", "e7d705a3286e19ea42f587b344ee6865"),
        new("yara", Yara, "a detection rule"),
        new("suricata", "alert ip any any -> [203.0.113.9] any (msg:\"C2\"; sid:1000001; rev:1;)"),
    ];

    [DbFact]
    public async Task What_is_rendered_is_byte_for_byte_what_would_have_been_stored()
    {
        var owner = await node.CreateOrganisationAsync();
        var member = await node.CreateOrganisationAsync();
        var user = await node.CreateUserAsync(owner.Id, Roles.Analyst);
        var analyst = new Actor(user.Id, user.Email, owner.Id, new HashSet<string> { Roles.Analyst });
        var group = (await node.Get<SharingGroups>().CreateAsync(analyst, new SharingGroupInput("cell", Members: [member.Id]))).Value!;
        var local = await node.Get<LocalNode>().IdAsync();
        var me = new OrganisationRef(owner.Id, local);
        SharingTerms[] termSets =
        [
            new(me, Tlp.Clear, Pap.Clear, Distribution.Community, HandlingCodes.None, null, null),
            new(me, Tlp.Green, Pap.Green, Distribution.ConnectedCommunities, HandlingCodes.H1, null, Evaluation.TryParse("B3", out var b3) ? b3 : null),
            new(me, Tlp.Amber, Pap.Amber, Distribution.OrganisationOnly, HandlingCodes.H2, null, null)
            {
                Recipients = new HashSet<OrganisationRef> { new(member.Id, local) },
                Permissions = new SharingPermissions(new HashSet<OrganisationRef> { new(member.Id, local) }, new HashSet<OrganisationRef>()),
            },
            new(me, Tlp.AmberStrict, Pap.Red, Distribution.ToSharingGroup(group.Id), HandlingCodes.H3, "only for the «joint» case \"7\"", Evaluation.TryParse("A1", out var a1) ? a1 : null),
            new(me, Tlp.Red, Pap.Red, Distribution.OrganisationOnly, HandlingCodes.H0 | HandlingCodes.H1, null, null),
        ];

        // Odd ticks: the STIX timestamps are cut to milliseconds, the database keeps at least microseconds.
        var now = DateTimeOffset.UtcNow.AddTicks(7);
        // An observable's id comes from its value, so the same value under other terms is another version of it.
        var expected = new Dictionary<(Guid, string), string>();
        var ids = new List<Guid>();
        var legacyIds = new List<Guid>();
        await using (var db = node.Database.Open(TenantScope.NodeWide("test")))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var terms in termSets)
            {
                var rows = Inputs.Select(input => IndicatorRows.Build(input, terms, null, user.Id, now, local))
                    .Select(built => built.Row ?? throw new InvalidOperationException($"{built.Error}")).ToList();
                foreach (var row in rows)
                {
                    // What the store held for these versions before they were rendered when read.
                    foreach (var stix in RibatToStix.Indicator(row, terms))
                    {
                        expected[(row.Id, stix.Id)] = System.Text.Encoding.UTF8.GetString(StixSerializer.WriteObject(stix));
                    }
                }

                if (terms == termSets[0])
                {
                    // As a node recorded them before versions were served from rows: each version a row without JSON.
                    await IndicatorWriter.WriteAsync(db, rows, CancellationToken.None);
                    var legacy = rows.SelectMany(row => RibatToStix.Indicator(row, terms).Select(stix =>
                    {
                        var version = StixObjectStore.Describe(stix, string.Empty, terms, local, StixOrigin.Local, user.Id);
                        version.RibatObjectId = row.Id;
                        return (version, terms);
                    })).ToList();
                    await StixObjectStore.AddAsync(db, legacy, local, TimeProvider.System, CancellationToken.None);
                    legacyIds.AddRange(rows.Select(r => r.Id));
                }
                else
                {
                    await StixMirror.DateRecordedAsync(db, rows, TimeProvider.System, CancellationToken.None);
                    await IndicatorWriter.WriteAsync(db, rows, CancellationToken.None);
                    await StixMirror.RecordedAsync(db, rows, local, TimeProvider.System, CancellationToken.None);
                    ids.AddRange(rows.Select(r => r.Id));
                }
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using (var db = node.Database.Open(TenantScope.NodeWide("test")))
        {
            (await db.StixObjects.IgnoreQueryFilters().CountAsync(s => s.RibatObjectId != null && ids.Contains(s.RibatObjectId.Value)))
                .Should().Be(0, "a recorded indicator writes no STIX row: its row stands for its versions");
            var stored = await db.StixObjects.IgnoreQueryFilters().AsNoTracking().Where(s => s.RibatObjectId != null && legacyIds.Contains(s.RibatObjectId.Value)).ToListAsync();
            stored.Should().NotBeEmpty().And.OnlyContain(s => s.Json == string.Empty, "no version of a current indicator or of its observable keeps JSON");
            stored.Select(s => s.Type).Distinct().Should().Contain(["indicator", "ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "file", "autonomous-system", "user-account"]);

            var rendered = await RenderedVersions.FillAsync(db, stored, local, CancellationToken.None, rendered: false);
            rendered.Should().HaveCount(stored.Count);
            foreach (var row in rendered)
            {
                row.Json.Should().Be(expected[(row.RibatObjectId!.Value, row.StixId)], $"{row.StixId} renders as it was written");
            }

            // Every version the rows serve, read as TAXII and export read them: in date-added order, the observable a
            // microsecond after its indicator, each as it would have been stored.
            var scope = new VersionScope(db.StixObjects.IgnoreQueryFilters().Where(s => s.RibatObjectId != null && ids.Contains(s.RibatObjectId.Value)),
                db.Indicators.IgnoreQueryFilters().AsNoTracking().Where(i => ids.Contains(i.Id)), db);
            var (served, more) = await StoredVersions.PageAsync(db, scope, new StixObjectQuery(null, 1000, null, null, VersionMatch.Every, null), local, withJson: true, CancellationToken.None);
            more.Should().BeFalse();
            served.Should().HaveCount(expected.Count - stored.Count).And.BeInAscendingOrder(v => v.DateAdded);
            served.Select(v => v.DateAdded).Should().OnlyHaveUniqueItems();
            foreach (var version in served)
            {
                version.Json.Should().Be(expected[(version.RibatObjectId!.Value, version.StixId)], $"{version.StixId} is served as it would have been stored");
            }

            var rows = await db.Indicators.IgnoreQueryFilters().AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id);
            foreach (var observable in served.Where(v => v.Type != "indicator"))
            {
                observable.DateAdded.Should().Be(rows[observable.RibatObjectId!.Value].StixDateAdded!.Value.AddTicks(10));
                observable.Version.Should().Be(StixObjectStore.Spell(observable.DateAdded), "an observable's version is its date added");
            }
        }
    }

    [DbFact]
    public async Task A_change_keeps_what_the_older_versions_said_at_their_dates_and_a_deletion_removes_every_version()
    {
        var (analyst, id) = await RecordOneAsync("versions");
        var stixId = $"indicator--{id:D}";

        var first = await VersionsAsync(analyst, stixId);
        first.Should().ContainSingle();
        JsonDocument.Parse(first[0]).RootElement.GetProperty("description").GetString().Should().Be("first words");
        (await StoredAsync(id)).Should().BeEmpty("the current versions are the row's");
        var before = await ServedAsync(id);
        before.Should().HaveCount(2);
        before[0].Json.Should().Be(first[0]);

        var change = node.Get<ChangeIndicators>();
        (await change.UpdateAsync(analyst, id, new IndicatorChange(Comment: "second words", Confidence: 90, FalsePositive: true, Sharing: new SharingTermsInput("amber")))).Error.Should().BeNull();
        var kept = await StoredAsync(id);
        kept.Select(k => (k.StixId, k.DateAdded, k.Json)).Should().Equal(before.Select(b => (b.StixId, b.DateAdded, b.Json)),
            "the superseded versions are kept as they read, at the dates they were added, so a reader's cursor stays exact");
        var after = await ServedAsync(id);
        after.Should().HaveCount(2);
        after[0].DateAdded.Should().BeAfter(before[1].DateAdded, "a changed row is dated again");
        after[1].StixId.Should().Be(before[1].StixId, "the observable is the same object");

        var second = await VersionsAsync(analyst, stixId);
        second.Should().HaveCount(2);
        second[0].Should().Be(first[0], "the first version says what it said");
        var now = JsonDocument.Parse(second[1]).RootElement;
        now.GetProperty("description").GetString().Should().Be("second words");
        now.GetProperty("confidence").GetInt32().Should().Be(90);
        now.GetProperty("indicator_types")[0].GetString().Should().Be("benign");
        now.GetProperty("object_marking_refs")[0].GetString().Should().Be(Tlp.Amber.StixMarkingId());

        (await change.UpdateAsync(analyst, id, new IndicatorChange(Tags: ["two", "three"]))).Error.Should().BeNull();
        var third = await VersionsAsync(analyst, stixId);
        third.Should().HaveCount(3);
        third.Take(2).Should().Equal(second, "superseded versions keep their JSON");
        JsonDocument.Parse(third[2]).RootElement.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).Should().Equal("two", "three");
        (await StoredAsync(id)).Should().HaveCount(4).And.OnlyContain(r => r.Json.Length > 0, "two changes keep two versions of the indicator and two of its observable");

        (await change.DeleteAsync(analyst, id)).Value.Should().BeTrue();
        (await StoredAsync(id)).Should().BeEmpty();
        (await ServedAsync(id)).Should().BeEmpty();
        (await VersionsAsync(analyst, stixId)).Should().BeEmpty();
    }

    [DbFact]
    public async Task Changes_made_at_once_each_keep_their_version_and_none_undoes_another()
    {
        var (analyst, id) = await RecordOneAsync("at-once");
        var change = node.Get<ChangeIndicators>();

        // Each change sets a field of its own, so a change that read the row before another committed would undo it.
        IndicatorChange[] changes =
        [
            new(Comment: "second words"),
            new(Confidence: 77),
            new(Tags: ["two"]),
            new(FalsePositive: true),
            new(ValidUntil: DateTimeOffset.Parse("2031-01-02T03:04:05Z")),
            new(ForDetection: false),
        ];
        var results = await Task.WhenAll(changes.Select(c => Task.Run(() => change.UpdateAsync(analyst, id, c))));
        results.Should().OnlyContain(r => r.Error == null);

        var versions = await VersionsAsync(analyst, $"indicator--{id:D}");
        versions.Should().HaveCount(changes.Length + 1, "every change keeps a version that can still be read");
        var current = JsonDocument.Parse(versions[^1]).RootElement;
        current.GetProperty("description").GetString().Should().Be("second words");
        current.GetProperty("confidence").GetInt32().Should().Be(77);
        current.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).Should().Equal("two");
        current.GetProperty("indicator_types")[0].GetString().Should().Be("benign");
        current.GetProperty("valid_until").GetString().Should().Be("2031-01-02T03:04:05.000Z");
        var row = (await node.Get<ReadIndicators>().GetAsync(analyst, id)).Value!;
        row.ForDetection.Should().BeFalse();
    }

    [DbFact]
    public async Task A_deletion_made_while_the_indicator_changes_leaves_no_version_behind()
    {
        var change = node.Get<ChangeIndicators>();
        for (var round = 0; round < 5; round++)
        {
            var (analyst, id) = await RecordOneAsync($"deleted-{round}");
            var changing = Task.Run(() => change.UpdateAsync(analyst, id, new IndicatorChange(Comment: $"round {round}")));
            var deleting = Task.Run(() => change.DeleteAsync(analyst, id));
            await Task.WhenAll(changing, deleting);
            (await deleting).Value.Should().BeTrue();
            (await changing).Error?.Kind.Should().Be(ErrorKind.NotFound, "a change that comes after the deletion finds nothing");
            await using var db = node.Database.Open(TenantScope.NodeWide("test"));
            (await db.StixObjects.IgnoreQueryFilters().CountAsync(s => s.RibatObjectId == id))
                .Should().Be(0, "round {0}: the deletion removes every version, also one a change added meanwhile", round);
        }
    }

    /// <summary>An analyst of a new organisation, and one green community domain indicator it recorded ("first words", tag "one", confidence 40).</summary>
    private async Task<(Actor Analyst, Guid Id)> RecordOneAsync(string label)
    {
        var owner = await node.CreateOrganisationAsync();
        var user = await node.CreateUserAsync(owner.Id, Roles.Analyst);
        var analyst = new Actor(user.Id, user.Email, owner.Id, new HashSet<string> { Roles.Analyst });
        var recorded = (await node.Get<RecordIndicators>().HandleAsync(analyst, new RecordIndicatorsRequest(
            [new IndicatorInput("domain", $"{label}-{Guid.NewGuid():N}.example", "first words", ["one"], 40)], new SharingTermsInput("green", Distribution: "community")))).Value!;
        return (analyst, recorded.Ids.Single());
    }

    /// <summary>The versions the indicator's row serves now, read from the row.</summary>
    private async Task<IReadOnlyList<StixObjectRecord>> ServedAsync(Guid id)
    {
        await using var db = node.Database.Open(TenantScope.NodeWide("test"));
        var row = await db.Indicators.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id);
        return row is null ? [] : IndicatorVersions.Of(row, await node.Get<LocalNode>().IdAsync());
    }

    /// <summary>Every version of <paramref name="stixId"/> the actor exports, oldest first.</summary>
    private async Task<List<string>> VersionsAsync(Actor actor, string stixId)
    {
        var bytes = (await node.Get<ExportStix>().ToBytesAsync(actor, new ExportStixRequest("indicator", AllVersions: true))).Value!;
        using var bundle = JsonDocument.Parse(bytes);
        return [.. bundle.RootElement.GetProperty("objects").EnumerateArray()
            .Where(o => o.GetProperty("id").GetString() == stixId)
            .OrderBy(o => o.GetProperty("modified").GetString(), StringComparer.Ordinal)
            .Select(o => o.GetRawText())];
    }

    /// <summary>The rows of <c>stix_objects</c> kept for the indicator's versions, oldest added first.</summary>
    private async Task<List<StixObjectRecord>> StoredAsync(Guid id)
    {
        await using var db = node.Database.Open(TenantScope.NodeWide("test"));
        return await db.StixObjects.IgnoreQueryFilters().AsNoTracking().Where(s => s.RibatObjectId == id).OrderBy(s => s.DateAdded).ToListAsync();
    }
}

public sealed class RenderedVersionTestsSqlite(SqliteFactory node) : RenderedVersionTests(node), IClassFixture<SqliteFactory>;

public sealed class RenderedVersionTestsPostgres(PostgresFactory node) : RenderedVersionTests(node), IClassFixture<PostgresFactory>;
