using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Intelligence;

/// <summary>The store through its use cases, on both databases: what is recorded is read back whole, and correlation finds it.</summary>
public abstract class IndicatorStoreTests(RibatFactory node)
{
    private async Task<Actor> AnalystOfNewOrganisationAsync()
    {
        var org = await node.CreateOrganisationAsync();
        var user = await node.CreateUserAsync(org.Id, Roles.Analyst);
        return new Actor(user.Id, user.Email, org.Id, new HashSet<string> { Roles.Analyst });
    }

    [DbFact]
    public async Task Recorded_indicators_read_back_with_every_field_and_correlate()
    {
        var analyst = await AnalystOfNewOrganisationAsync();
        var recorded = await node.Get<RecordIndicators>().HandleAsync(analyst, new RecordIndicatorsRequest(
        [
            new IndicatorInput("ipv4", "198.51.100[.]7", "C2 server", ["c2", "apt-x"], 80, FirstSeen: DateTimeOffset.Parse("2026-01-02T03:04:05.123456Z")),
            new IndicatorInput("cidr", "198.51.100.0/24"),
            new IndicatorInput("domain", "Mail.EXAMPLE.co.uk"),
            new IndicatorInput("url", "hxxps://login.example[.]co.uk/reset?x=1"),
            new IndicatorInput("ipv6", "not-an-address"),
            new IndicatorInput("ipv4", "198.51.100.7"),
        ], new SharingTermsInput(Tlp: "green", Distribution: "community")));

        recorded.Error.Should().BeNull();
        recorded.Value!.Recorded.Should().Be(4);
        recorded.Value.Duplicates.Should().Be(1);
        recorded.Value.Issues.Should().ContainSingle().Which.Should().Be(new RowIssue(5, "value", recorded.Value.Issues[0].Reason));
        recorded.Value.Issues[0].Reason.Should().Contain("IPv6");

        var list = await node.Get<ReadIndicators>().ListAsync(analyst, new IndicatorQuery(Type: "ipv4"));
        var ip = list.Value!.Items.Should().ContainSingle().Subject;
        ip.Value.Should().Be("198.51.100.7");
        ip.Comment.Should().Be("C2 server");
        ip.Tags.Should().Equal("c2", "apt-x");
        ip.Confidence.Should().Be(80);
        ip.FirstSeen.Should().Be(DateTimeOffset.Parse("2026-01-02T03:04:05.123456Z"));
        ip.Sharing.Tlp.Should().Be("TLP:GREEN");
        ip.Sharing.Distribution.Should().Be("community");

        var found = await node.Get<Correlate>().HandleAsync(analyst, "198.51.100.7");
        var value = found.Value!.Values.Should().ContainSingle().Subject;
        value.Holders.Should().Be(1);
        value.Related.Single(r => r.Relation == "in-network").Indicators.Should().ContainSingle().Which.Value.Should().Be("198.51.100.0/24");

        var network = await node.Get<Correlate>().HandleAsync(analyst, "198.51.100.0/24");
        network.Value!.Values.Single().Related.Single(r => r.Relation == "contains").Indicators.Should().ContainSingle().Which.Value.Should().Be("198.51.100.7");

        var domain = await node.Get<Correlate>().HandleAsync(analyst, "example.co.uk");
        domain.Value!.Values.SelectMany(v => v.Related).Where(r => r.Relation == "same-registered-domain")
            .SelectMany(r => r.Indicators).Select(i => i.Value).Should().BeEquivalentTo("mail.example.co.uk", "https://login.example.co.uk/reset?x=1");
    }

    [DbFact]
    public async Task Another_organisation_sees_community_green_but_not_amber()
    {
        var owner = await AnalystOfNewOrganisationAsync();
        var other = await AnalystOfNewOrganisationAsync();
        var record = node.Get<RecordIndicators>();
        (await record.HandleAsync(owner, new RecordIndicatorsRequest([new IndicatorInput("sha256", new string('a', 64))], new SharingTermsInput("green", Distribution: "community")))).Error.Should().BeNull();
        (await record.HandleAsync(owner, new RecordIndicatorsRequest([new IndicatorInput("sha256", new string('b', 64))], new SharingTermsInput("amber", Distribution: "organisation-only")))).Error.Should().BeNull();

        var seen = await node.Get<ReadIndicators>().ListAsync(other, new IndicatorQuery(Type: "sha256"));
        seen.Value!.Items.Select(i => i.Value).Should().Contain(new string('a', 64)).And.NotContain(new string('b', 64));
        var hidden = await node.Get<Correlate>().HandleAsync(other, new string('b', 64));
        hidden.Value!.Values.Single().Holders.Should().Be(0, "a hidden indicator is neither listed nor counted");
    }

    [DbFact]
    public async Task Detection_rules_are_validated_on_entry_and_equal_rules_correlate()
    {
        var analyst = await AnalystOfNewOrganisationAsync();
        const string yara = "rule Demo_Dropper : dropper\n{\n  strings:\n    $mz = { 4D 5A }\n    $s = \"invoice.exe\" nocase\n  condition:\n    $mz at 0 and $s\n}\n";
        const string broken = "rule Broken\n{\n  condition:\n    $missing\n}\n";
        var recorded = await node.Get<RecordIndicators>().HandleAsync(analyst, new RecordIndicatorsRequest(
        [
            new IndicatorInput("yara", yara),
            new IndicatorInput("yara", broken),
            new IndicatorInput("suricata", "alert ip any any -> [203.0.113.9] any (msg:\"C2\"; sid:1000001; rev:1;)"),
        ]));

        recorded.Value!.Recorded.Should().Be(2);
        recorded.Value.Issues.Should().ContainSingle().Which.Reason.Should().StartWith("not a valid yara rule: line 4");
        var rules = await node.Get<ReadIndicators>().ListAsync(analyst, new IndicatorQuery(Type: "yara"));
        var rule = rules.Value!.Items.Should().ContainSingle().Subject;
        rule.Display.Should().Be("Demo_Dropper");
        rule.Pattern.Should().Be(yara.Trim());

        var again = await node.Get<Correlate>().HandleAsync(analyst, yara.Replace("\n", "\r\n"), "yara");
        again.Value!.Values.Single().Holders.Should().Be(1, "the same rule with other line ends is the same rule");
    }

    [DbFact]
    public async Task Deleting_a_report_removes_its_indicators_their_sightings_and_every_grant()
    {
        var owner = await AnalystOfNewOrganisationAsync();
        var other = await AnalystOfNewOrganisationAsync();
        var report = await node.Get<Reports>().CreateAsync(owner, new ReportInput("Campaign", Sharing: new SharingTermsInput("green", Distribution: "community")));
        var recorded = await node.Get<RecordIndicators>().HandleAsync(owner, new RecordIndicatorsRequest([new IndicatorInput("domain", $"{Guid.NewGuid():N}.example")], ReportId: report.Value!.Id));
        var indicator = recorded.Value!.Ids.Single();
        var sighting = await node.Get<Sightings>().RecordAsync(other, indicator, new SightingInput());
        sighting.Error.Should().BeNull();

        (await node.Get<Reports>().DeleteAsync(owner, report.Value.Id)).Error.Should().BeNull();

        await using var db = node.Database.Open(TenantScope.NodeWide("test"));
        (await db.Sightings.CountAsync(s => s.Id == sighting.Value!.Id)).Should().Be(0);
        (await db.ShareGrants.CountAsync(g => g.ObjectId == sighting.Value!.Id || g.ObjectId == indicator || g.ObjectId == report.Value.Id))
            .Should().Be(0, "the grants of another organisation's sighting go with it");
    }

    [DbFact]
    public async Task A_batch_whose_every_row_is_refused_writes_nothing_not_even_an_audit_row()
    {
        var analyst = await AnalystOfNewOrganisationAsync();
        await using var db = node.Database.Open(TenantScope.NodeWide("test"));
        var audit = await db.AuditEntries.CountAsync();

        var result = await node.Get<RecordIndicators>().HandleAsync(analyst, new RecordIndicatorsRequest([new IndicatorInput("ipv4", "300.1.1.1"), new IndicatorInput("colour", "blue")]));

        result.Value!.Recorded.Should().Be(0);
        result.Value.Issues.Select(i => (i.Line, i.Column)).Should().Equal((1, "value"), (2, "type"));
        (await db.AuditEntries.CountAsync()).Should().Be(audit);
    }

    [DbFact]
    public async Task Sightings_page_newest_first_and_refuse_a_last_seen_in_the_future()
    {
        var owner = await AnalystOfNewOrganisationAsync();
        var recorded = await node.Get<RecordIndicators>().HandleAsync(owner, new RecordIndicatorsRequest([new IndicatorInput("sha1", new string('c', 40))]));
        var id = recorded.Value!.Ids.Single();
        var sightings = node.Get<Sightings>();
        for (var i = 0; i < 3; i++)
        {
            (await sightings.RecordAsync(owner, id, new SightingInput(Count: i + 1))).Error.Should().BeNull();
        }

        var first = await sightings.ListAsync(owner, id, limit: 2);
        first.Value!.Items.Select(s => s.Count).Should().Equal(3, 2);
        var second = await sightings.ListAsync(owner, id, first.Value.NextCursor, 2);
        second.Value!.Items.Select(s => s.Count).Should().Equal(1);
        second.Value.NextCursor.Should().BeNull();

        var future = await sightings.RecordAsync(owner, id, new SightingInput(FirstSeenAt: DateTimeOffset.UtcNow.AddDays(-1), LastSeenAt: DateTimeOffset.UtcNow.AddDays(1)));
        future.Error!.Fields!.Keys.Should().Contain("lastSeenAt");
    }

    [DbFact]
    public async Task Report_search_ignores_case_in_title_threat_actor_and_malware_family()
    {
        var analyst = await AnalystOfNewOrganisationAsync();
        var marker = Guid.NewGuid().ToString("N")[..10];
        var reports = node.Get<Reports>();
        var titled = await reports.CreateAsync(analyst, new ReportInput($"Phishing Wave {marker.ToUpperInvariant()}"));
        var actor = await reports.CreateAsync(analyst, new ReportInput("Untitled", ThreatActor: $"fin-{marker}"));
        var family = await reports.CreateAsync(analyst, new ReportInput("Other", MalwareFamily: $"QakBot-{marker}"));

        var found = await reports.ListAsync(analyst, null, null, $"  {marker}  ");
        found.Value!.Items.Select(r => r.Id).Should().BeEquivalentTo([titled.Value!.Id, actor.Value!.Id, family.Value!.Id]);
        (await reports.ListAsync(analyst, null, null, $"phishing wave {marker}")).Value!.Items.Should().ContainSingle().Which.Id.Should().Be(titled.Value.Id);
        (await reports.ListAsync(analyst, null, null, $"QAKBOT-{marker.ToUpperInvariant()}")).Value!.Items.Should().ContainSingle().Which.Id.Should().Be(family.Value.Id);
    }

    [DbFact]
    public async Task A_null_attack_technique_is_a_validation_error()
    {
        var analyst = await AnalystOfNewOrganisationAsync();

        var created = await node.Get<Reports>().CreateAsync(analyst, new ReportInput("Campaign", AttackTechniques: ["T1566", null!]));

        created.Error!.Fields!.Keys.Should().Contain("attackTechniques");
    }

    [DbFact]
    public async Task Changes_and_a_deletion_of_one_report_made_at_once_run_one_after_the_other()
    {
        var owner = await AnalystOfNewOrganisationAsync();
        var reports = node.Get<Reports>();
        for (var round = 0; round < 4; round++)
        {
            var report = (await reports.CreateAsync(owner, new ReportInput($"Campaign {round}", Sharing: new SharingTermsInput("green", Distribution: "community")))).Value!;
            await node.Get<RecordIndicators>().HandleAsync(owner, new RecordIndicatorsRequest([new IndicatorInput("domain", $"{Guid.NewGuid():N}.example")], ReportId: report.Id));
            var changes = Enumerable.Range(0, 3).Select(n => Task.Run(() => reports.UpdateAsync(owner, report.Id, new ReportInput($"Campaign {round}.{n}", Sharing: new SharingTermsInput("amber"))))).ToList();
            var deletion = Task.Run(() => reports.DeleteAsync(owner, report.Id));
            await Task.WhenAll([.. changes, deletion]);

            (await deletion).Value.Should().BeTrue();
            foreach (var change in changes)
            {
                (await change).Error?.Kind.Should().Be(ErrorKind.NotFound, "a change either comes before the deletion or finds nothing");
            }

            await using var db = node.Database.Open(TenantScope.NodeWide("test"));
            (await db.StixObjects.IgnoreQueryFilters().CountAsync(s => s.RibatObjectId == report.Id)).Should().Be(0, "no version of the report outlives it");
            (await db.ShareGrants.CountAsync(g => g.ObjectId == report.Id)).Should().Be(0);
        }
    }

    [DbFact]
    public async Task A_sighting_recorded_while_the_owner_deletes_the_indicator_goes_with_it_or_is_refused()
    {
        var owner = await AnalystOfNewOrganisationAsync();
        var other = await AnalystOfNewOrganisationAsync();
        var sightings = node.Get<Sightings>();
        for (var round = 0; round < 4; round++)
        {
            var recorded = await node.Get<RecordIndicators>().HandleAsync(owner, new RecordIndicatorsRequest(
                [new IndicatorInput("domain", $"{Guid.NewGuid():N}.example")], new SharingTermsInput("green", Distribution: "community")));
            var indicator = recorded.Value!.Ids.Single();
            var seen = Enumerable.Range(0, 3).Select(_ => Task.Run(() => sightings.RecordAsync(other, indicator, new SightingInput(Comment: "mail gateway")))).ToList();
            var deletion = Task.Run(() => node.Get<ChangeIndicators>().DeleteAsync(owner, indicator));
            await Task.WhenAll([.. seen.Select(t => (Task)t), deletion]);

            (await deletion).Value.Should().BeTrue();
            var ids = new List<Guid>();
            foreach (var sighting in seen)
            {
                var result = await sighting;
                result.Error?.Kind.Should().Be(ErrorKind.NotFound, "a sighting either comes before the deletion or finds no indicator");
                ids.AddRange(result.Value is { } dto ? [dto.Id] : []);
            }

            await using var db = node.Database.Open(TenantScope.NodeWide("test"));
            (await db.Sightings.IgnoreQueryFilters().CountAsync(s => s.IndicatorId == indicator)).Should().Be(0);
            (await db.StixObjects.IgnoreQueryFilters().CountAsync(s => s.RibatObjectId == indicator || ids.Contains(s.RibatObjectId!.Value)))
                .Should().Be(0, "no STIX version of the indicator or of a sighting on it outlives the deletion");
            (await db.ShareGrants.CountAsync(g => ids.Contains(g.ObjectId))).Should().Be(0);
        }
    }

    [DbFact]
    public async Task Each_row_of_a_batch_is_reported_as_recorded_duplicate_or_refused_by_its_line()
    {
        var analyst = await AnalystOfNewOrganisationAsync();
        var record = node.Get<RecordIndicators>();
        var stored = new string('c', 64);
        (await record.HandleAsync(analyst, new RecordIndicatorsRequest([new IndicatorInput("sha256", stored)]))).Error.Should().BeNull();

        var result = await record.HandleAsync(analyst, new RecordIndicatorsRequest(
        [
            new IndicatorInput("sha256", stored, Line: 10),
            new IndicatorInput("domain", "first.ribat-test.net", Line: 11),
            new IndicatorInput("domain", "not a domain", Line: 12),
            new IndicatorInput("domain", "FIRST.ribat-test.net", Line: 13),
            new IndicatorInput("ipv4", "45.137.21.9", Line: 14),
        ]));

        result.Error.Should().BeNull();
        result.Value!.RecordedLines.Should().Equal(11, 14);
        result.Value.Ids.Should().HaveCount(2);
        result.Value.DuplicateLines.Should().BeEquivalentTo([13, 10], "a repeat within the batch and a value already stored are both duplicates");
        result.Value.Duplicates.Should().Be(2);
        result.Value.Issues.Should().ContainSingle().Which.Line.Should().Be(12);
        var second = await node.Get<ReadIndicators>().GetAsync(analyst, result.Value.Ids[1]);
        second.Value!.Value.Should().Be("45.137.21.9", "the ids follow the recorded lines");
    }

    [DbFact]
    public async Task An_owner_withdraws_an_evaluation_by_sending_it_blank()
    {
        var analyst = await AnalystOfNewOrganisationAsync();
        var recorded = await node.Get<RecordIndicators>().HandleAsync(analyst, new RecordIndicatorsRequest(
            [new IndicatorInput("domain", "evaluated.ribat-test.net")], new SharingTermsInput(Evaluation: "B2")));
        var id = recorded.Value!.Ids.Single();
        var change = node.Get<ChangeIndicators>();

        (await change.UpdateAsync(analyst, id, new IndicatorChange(Comment: "kept"))).Value!.Sharing.Evaluation.Should().Be("B2");
        var withdrawn = await change.UpdateAsync(analyst, id, new IndicatorChange(Sharing: new SharingTermsInput(Evaluation: string.Empty)));

        withdrawn.Error.Should().BeNull();
        withdrawn.Value!.Sharing.Evaluation.Should().BeNull();
        withdrawn.Value.Comment.Should().Be("kept");
    }

    [DbFact]
    public async Task An_owner_lifts_h1_and_h2_for_one_organisation_by_recording_its_permission()
    {
        var owner = await AnalystOfNewOrganisationAsync();
        var partner = await AnalystOfNewOrganisationAsync();
        var bystander = await AnalystOfNewOrganisationAsync();
        var recorded = await node.Get<RecordIndicators>().HandleAsync(owner, new RecordIndicatorsRequest(
            [new IndicatorInput("domain", $"{Guid.NewGuid():N}.ribat-test.net")], new SharingTermsInput("green", Distribution: "community", Handling: "H1,H2")));
        var id = recorded.Value!.Ids.Single();
        var read = node.Get<ReadIndicators>();

        var before = (await read.GetAsync(partner, id)).Value!.Sharing;
        before.MayUseInCourt.Should().BeFalse();
        before.MayReshare.Should().BeFalse();
        before.Restrictions.Should().Contain(r => r.Contains("h1-court-use-needs-permission")).And.Contain(r => r.Contains("h2-onward-sharing-needs-permission"));

        var granted = await node.Get<ChangeIndicators>().UpdateAsync(owner, id, new IndicatorChange(Sharing: new SharingTermsInput(CourtUse: [partner.OrganisationId!.Value], OnwardSharing: [partner.OrganisationId!.Value])));
        granted.Error.Should().BeNull();
        granted.Value!.Sharing.CourtUse.Should().Equal(partner.OrganisationId!.Value);
        granted.Value.Sharing.Handling.Should().Be("H1,H2", "a permission lifts a code for one organisation; the code stays");

        var after = (await read.GetAsync(partner, id)).Value!.Sharing;
        after.MayUseInCourt.Should().BeTrue();
        after.MayReshare.Should().BeTrue();
        after.CourtUse.Should().BeEmpty("only the owner sees whom it granted what");
        var other = (await read.GetAsync(bystander, id)).Value!.Sharing;
        other.MayUseInCourt.Should().BeFalse("a permission for one organisation changes nothing for another");
        other.MayReshare.Should().BeFalse();
    }

    [DbFact]
    public async Task A_popular_registered_domain_is_counted_up_to_the_related_cap_and_still_lists_its_newest_names()
    {
        var analyst = await AnalystOfNewOrganisationAsync();
        var domain = $"popular{Guid.NewGuid():N}"[..20] + ".co.uk";
        var names = Enumerable.Range(0, 130).Select(i => new IndicatorInput("hostname", $"host{i}.{domain}")).ToList();
        (await node.Get<RecordIndicators>().HandleAsync(analyst, new RecordIndicatorsRequest(names))).Value!.Recorded.Should().Be(130);

        var found = await node.Get<Correlate>().HandleAsync(analyst, $"www.{domain}");

        var group = found.Value!.Values.SelectMany(v => v.Related).Single(r => r.Relation == "same-registered-domain");
        group.OverCorrelating.Should().BeTrue("130 names exceed the default cap of 100 related values");
        group.Count.Should().Be(101, "counting stops one past the cap");
        group.Indicators.Should().HaveCount(100, "the newest are still listed");
    }

    [DbFact]
    public async Task The_bulk_writer_stores_every_column_as_the_database_mapping_reads_it()
    {
        // Rows are written past the ORM (a prepared statement on SQLite, binary COPY on PostgreSQL): each column must come
        // back through EF exactly, including text EF would have encoded (non-ASCII, quotes, an empty and a full list).
        var analyst = await AnalystOfNewOrganisationAsync();
        var report = await node.Get<Reports>().CreateAsync(analyst, new ReportInput("Bulk writer check"));
        var full = new IndicatorInput(
            "domain", "BÜCHER.example", "تعليق \"quoted\" — ünïcode", ["tag one", "وسم", "quote\"d", "back\\slash"], 91,
            ValidFrom: DateTimeOffset.Parse("2026-03-04T05:06:07.654321Z"), ValidUntil: DateTimeOffset.Parse("2027-03-04T05:06:07Z"),
            FirstSeen: DateTimeOffset.Parse("2025-01-01T00:00:00.000001Z"), LastSeen: DateTimeOffset.Parse("2026-01-01T00:00:00Z"),
            ForDetection: false, SourceId: "feed-42", Tlp: "amber");
        var bare = new IndicatorInput("ipv6", "2001:DB8:0:0::1");
        var recorded = await node.Get<RecordIndicators>().HandleAsync(analyst, new RecordIndicatorsRequest(
            [full, bare], new SharingTermsInput(Tlp: "green", Pap: "amber", Distribution: "community", Handling: "H2", Evaluation: "B3"), report.Value!.Id));
        recorded.Error.Should().BeNull();
        recorded.Value!.Recorded.Should().Be(2);

        await using var db = node.Database.Open(TenantScope.NodeWide("test"));
        var rows = await db.Indicators.AsNoTracking().Where(i => recorded.Value.Ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id);
        var first = rows[recorded.Value.Ids[0]];
        first.OwnerOrganisationId.Should().Be(analyst.OrganisationId!.Value);
        first.OwnerNode.Should().BeNull();
        first.Type.Should().Be("domain");
        first.Value.Should().Be("xn--bcher-kva.example");
        first.Display.Should().Be("bücher.example");
        first.ValueKey.Should().Be(CorrelationKeys.Key("domain", "xn--bcher-kva.example"));
        first.DuplicateKey.Should().Be(CorrelationKeys.DuplicateKey(analyst.OrganisationId!.Value, report.Value.Id, "domain", first.ValueKey));
        first.RegisteredDomain.Should().Be("xn--bcher-kva.example");
        first.Address.Should().BeNull();
        first.ReportId.Should().Be(report.Value.Id);
        first.Comment.Should().Be("تعليق \"quoted\" — ünïcode");
        first.Tags.Should().Equal("tag one", "وسم", "quote\"d", "back\\slash");
        first.Confidence.Should().Be(91);
        first.ValidFrom.Should().Be(DateTimeOffset.Parse("2026-03-04T05:06:07.654321Z"));
        first.ValidUntil.Should().Be(DateTimeOffset.Parse("2027-03-04T05:06:07Z"));
        first.FirstSeen.Should().Be(DateTimeOffset.Parse("2025-01-01T00:00:00.000001Z"));
        first.LastSeen.Should().Be(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        first.ForDetection.Should().BeFalse();
        first.SourceId.Should().Be("feed-42");
        first.Tlp.Should().Be(Ribat.Core.Sharing.Tlp.Amber, "a row's own TLP overrides the batch's");
        first.Pap.Should().Be(Ribat.Core.Sharing.Pap.Amber);
        first.Distribution.Should().Be(Ribat.Core.Sharing.DistributionKind.Community);
        first.Handling.Should().Be(Ribat.Core.Sharing.HandlingCodes.H2);
        first.Evaluation.Should().Be("B3");
        first.CreatedBy.Should().Be(analyst.UserId);
        first.CreatedAt.Should().Be(first.UpdatedAt);
        first.ObservableId.Should().Be(ObservableIds.Of("domain", "xn--bcher-kva.example"));
        first.StixDateAdded.Should().NotBeNull();
        first.StixDateAdded!.Value.Ticks.Should().Be(first.StixDateAdded.Value.Ticks / 10 * 10, "dates added are whole microseconds");

        var second = rows[recorded.Value.Ids[1]];
        second.Value.Should().Be("2001:db8::1");
        second.Address.Should().Be("20010db8000000000000000000000001");
        second.Tags.Should().BeEmpty();
        second.Comment.Should().BeNull();
        second.ValidFrom.Should().BeNull();
        second.LastSeen.Should().BeNull();
        second.SourceId.Should().BeNull();
        second.ForDetection.Should().BeTrue();
        second.ObservableId.Should().Be(ObservableIds.Of("ipv6", "2001:db8::1"));
        second.StixDateAdded.Should().Be(first.StixDateAdded.Value.AddTicks(20), "each row takes two dates: its indicator's and its observable's");
    }

    [DbFact]
    public async Task The_stix_versions_of_a_recorded_batch_read_back_through_the_mapping_with_their_grants()
    {
        // A batch's STIX versions are written past the ORM too: each column, the grants of a named recipient, and the
        // node-wide order of date added (strictly increasing, the report's version after its indicators') must hold.
        var analyst = await AnalystOfNewOrganisationAsync();
        var recipient = await node.CreateOrganisationAsync();
        var report = await node.Get<Reports>().CreateAsync(analyst, new ReportInput("STIX bulk check"));
        var batch = Enumerable.Range(0, 40).Select(i => new IndicatorInput("ipv4", $"198.51.100.{i}", $"note «{i}» \"q\"")).ToList();
        var recorded = (await node.Get<RecordIndicators>().HandleAsync(analyst, new RecordIndicatorsRequest(
            batch, new SharingTermsInput(Tlp: "amber", Handling: "H1", Evaluation: "A2", Recipients: [recipient.Id]), report.Value!.Id))).Value!;
        recorded.Recorded.Should().Be(40);

        await using var db = node.Database.Open(TenantScope.NodeWide("test"));
        var ids = recorded.Ids.Append(report.Value.Id).ToList();
        var local = await node.Get<Ribat.Core.Node.LocalNode>().IdAsync();
        var scope = new Ribat.Core.Federation.VersionScope(
            db.StixObjects.IgnoreQueryFilters().AsNoTracking().Where(s => s.RibatObjectId != null && ids.Contains(s.RibatObjectId.Value)),
            db.Indicators.IgnoreQueryFilters().AsNoTracking().Where(i => ids.Contains(i.Id)),
            db);
        var (versions, _) = await Ribat.Core.Federation.StoredVersions.PageAsync(db, scope,
            new Ribat.Core.Federation.StixObjectQuery(null, 1000, null, null, Ribat.Core.Federation.VersionMatch.Every, null), local, withJson: true, CancellationToken.None);
        versions.Should().HaveCount(40 * 2 + 1, "each address is an indicator and its ipv4-addr observable, and the report has one version");
        (await db.StixObjects.IgnoreQueryFilters().CountAsync(s => s.RibatObjectId != null && ids.Contains(s.RibatObjectId.Value)))
            .Should().Be(1, "only the report's version is a row; the indicators' are their rows");
        versions.Select(v => v.DateAdded).Should().OnlyHaveUniqueItems();
        var reportVersion = versions.Single(v => v.Type == "report");
        versions.Where(v => v.Type != "report").Should().OnlyContain(v => v.DateAdded < reportVersion.DateAdded);

        var first = versions.Single(v => v.StixId == $"indicator--{recorded.Ids[0]:D}");
        first.OwnerOrganisationId.Should().Be(analyst.OrganisationId!.Value);
        first.OwnerNode.Should().BeNull();
        first.Tlp.Should().Be(Ribat.Core.Sharing.Tlp.Amber);
        first.Handling.Should().Be(Ribat.Core.Sharing.HandlingCodes.H1);
        first.Evaluation.Should().Be("A2");
        first.SpecVersion.Should().Be("2.1");
        first.Origin.Should().Be(Ribat.Core.Federation.StixOrigin.Local);
        first.PartnerId.Should().BeNull();
        first.CreatedBy.Should().Be(analyst.UserId);
        first.DateAdded.Ticks.Should().Be(first.DateAdded.Ticks / 10 * 10, "dates added are whole microseconds");
        using (var json = System.Text.Json.JsonDocument.Parse(first.Json))
        {
            json.RootElement.GetProperty("pattern").GetString().Should().Be("[ipv4-addr:value = '198.51.100.0']");
            json.RootElement.GetProperty("description").GetString().Should().Be("note «0» \"q\"");
            json.RootElement.GetProperty("modified").GetString().Should().Be(first.Version);
        }

        var observable = versions.Single(v => v.Type == "ipv4-addr" && v.RibatObjectId == recorded.Ids[0]);
        observable.Version.Should().Be(Ribat.Core.Federation.StixObjectStore.Spell(observable.DateAdded), "an observable has no version of its own");
        observable.VersionAt.Should().Be(observable.DateAdded);
        observable.DateAdded.Should().Be(first.DateAdded.AddTicks(10), "the observable is added a microsecond after its indicator");

        // A version served from a row has the row's grants.
        var grants = await db.ShareGrants.AsNoTracking().Where(g => recorded.Ids.Contains(g.ObjectId)).ToListAsync();
        grants.Should().HaveCount(40).And.OnlyContain(g => g.OrganisationId == recipient.Id && g.Kind == ShareGrantKind.Recipient);
        (await db.ShareGrants.CountAsync(g => g.ObjectId == reportVersion.Id)).Should().Be(0, "the report keeps its own terms, which name no recipient");
    }

    [DbFact]
    public async Task A_value_repeats_only_for_the_same_owner_in_the_same_report()
    {
        var analyst = await AnalystOfNewOrganisationAsync();
        var other = await AnalystOfNewOrganisationAsync();
        var record = node.Get<RecordIndicators>();
        var reports = node.Get<Reports>();
        var first = (await reports.CreateAsync(analyst, new ReportInput("First"))).Value!.Id;
        var second = (await reports.CreateAsync(analyst, new ReportInput("Second"))).Value!.Id;
        var batch = Enumerable.Range(0, 50).Select(i => new IndicatorInput("ipv4", $"203.0.113.{i}")).Append(new IndicatorInput("hostname", "dup.ribat-test.net")).ToList();

        (await record.HandleAsync(analyst, new RecordIndicatorsRequest(batch, ReportId: first))).Value!.Recorded.Should().Be(51);
        var again = (await record.HandleAsync(analyst, new RecordIndicatorsRequest(batch, ReportId: first))).Value!;
        again.Recorded.Should().Be(0);
        again.Duplicates.Should().Be(51);

        (await record.HandleAsync(analyst, new RecordIndicatorsRequest(batch, ReportId: second))).Value!.Recorded.Should().Be(51, "another report may hold the same values");
        (await record.HandleAsync(analyst, new RecordIndicatorsRequest(batch))).Value!.Recorded.Should().Be(51, "standalone rows are apart from every report");
        (await record.HandleAsync(analyst, new RecordIndicatorsRequest(batch))).Value!.Duplicates.Should().Be(51);
        (await record.HandleAsync(other, new RecordIndicatorsRequest(batch))).Value!.Recorded.Should().Be(51, "another organisation's rows never make a duplicate");

        // The same name as a domain is another indicator (same value key, other type), not a repeat.
        var typed = (await record.HandleAsync(analyst, new RecordIndicatorsRequest([new IndicatorInput("domain", "dup.ribat-test.net")]))).Value!;
        typed.Recorded.Should().Be(1);
    }

    [DbFact]
    public async Task A_value_lists_its_newest_holders_first_and_counts_every_one_up_to_the_cap()
    {
        var analyst = await AnalystOfNewOrganisationAsync();
        var record = node.Get<RecordIndicators>();
        var value = $"{Guid.NewGuid():N}".Substring(0, 12) + ".ribat-test.net";
        var reportIds = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var report = (await node.Get<Reports>().CreateAsync(analyst, new ReportInput($"Holder {i}"))).Value!.Id;
            reportIds.Add(report);
            (await record.HandleAsync(analyst, new RecordIndicatorsRequest([new IndicatorInput("hostname", value)], ReportId: report))).Value!.Recorded.Should().Be(1);
            await Task.Delay(5);
        }

        var found = (await node.Get<Correlate>().HandleAsync(analyst, value, "hostname")).Value!.Values.Single();
        found.Holders.Should().Be(4);
        found.Indicators.Select(i => i.ReportId).Should().Equal(Enumerable.Reverse(reportIds).Cast<Guid?>(), "the newest holder comes first, whatever the index order");
    }

    [DbFact]
    public async Task Searches_are_in_the_audit_chain_and_leave_later_commits_waiting_for_the_disk()
    {
        var analyst = await AnalystOfNewOrganisationAsync();
        var before = await DurabilityAsync();
        for (var i = 0; i < 5; i++)
        {
            (await node.Get<Correlate>().HandleAsync(analyst, $"198.51.100.{i + 20}")).Error.Should().BeNull();
        }

        // A search's entry commits without a flush; the pooled connection it used must not keep that setting.
        (await DurabilityAsync()).Should().Be(before, "changes after a search still wait for the disk as configured");
        if (!node.IsPostgres)
        {
            before.Should().Be("2", "SQLite commits with synchronous = FULL");
        }

        await using var db = node.Database.Open(TenantScope.NodeWide("test"));
        var searches = await db.AuditEntries.CountAsync(a => a.Code == AuditEvents.IntelligenceSearched.Code && a.ActorUserId == analyst.UserId);
        searches.Should().Be(5);
        (await node.Get<VerifyAuditChain>().RunAsync()).Intact.Should().BeTrue();
    }

    private async Task<string?> DurabilityAsync()
    {
        await using var db = node.Database.Open(TenantScope.NodeWide("test"));
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = node.IsPostgres ? "SHOW synchronous_commit" : "PRAGMA synchronous";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class IndicatorStoreTestsSqlite(SqliteFactory node) : IndicatorStoreTests(node), IClassFixture<SqliteFactory>;

public sealed class IndicatorStoreTestsPostgres(PostgresFactory node) : IndicatorStoreTests(node), IClassFixture<PostgresFactory>;
