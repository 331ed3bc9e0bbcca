using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
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
