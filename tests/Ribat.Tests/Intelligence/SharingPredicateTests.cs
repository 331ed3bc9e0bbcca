using Microsoft.EntityFrameworkCore;
using Ribat.Core.Indicators;
using Ribat.Core.Node;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Intelligence;

/// <summary>
/// The SQL predicate that filters shared rows must say exactly what <see cref="SharingPolicy.Decide"/> says.
/// Every combination of TLP × PAP × distribution × handling codes × owner location × recipients is stored
/// once, then read back by viewers standing in each relation; each viewer's visible set must equal the
/// policy's answer, row by row.
/// </summary>
public abstract class SharingPredicateTests(RibatFactory node)
{
    private static readonly Guid PartnerNode = Guid.Parse("0190f1a0-1111-7000-8000-00000000000f");
    private static readonly Guid StrangerNode = Guid.Parse("0190f1a0-2222-7000-8000-00000000000e");

    [DbFact]
    public async Task Every_viewer_sees_exactly_what_the_policy_allows()
    {
        var local = await node.Get<LocalNode>().IdAsync();
        var owner = new OrganisationRef(Guid.CreateVersion7(), local);
        var recipient = new OrganisationRef(Guid.CreateVersion7(), local);
        var member = new OrganisationRef(Guid.CreateVersion7(), local);
        var neighbour = new OrganisationRef(Guid.CreateVersion7(), local);
        var partnerOwner = new OrganisationRef(Guid.CreateVersion7(), PartnerNode);
        var strangerOwner = new OrganisationRef(Guid.CreateVersion7(), StrangerNode);
        var groupWithMember = Guid.CreateVersion7();
        var groupWithoutMember = Guid.CreateVersion7();

        var distributions = new[]
        {
            Distribution.OrganisationOnly, Distribution.Community, Distribution.ConnectedCommunities,
            Distribution.ToSharingGroup(groupWithMember), Distribution.ToSharingGroup(groupWithoutMember),
        };
        var all = new List<(Guid Id, SharingTerms Terms)>();
        await using (var db = node.Database.Open(TenantScope.NodeWide("test setup")))
        {
            var now = DateTimeOffset.UtcNow;
            var combinations =
                from owning in new[] { owner, partnerOwner, strangerOwner }
                from tlp in Tlps.All
                from pap in Paps.All
                from distribution in distributions
                from handling in HandlingCodeSpelling.AllCombinations
                from named in new[] { false, true }
                select (owning, tlp, pap, distribution, handling, named);
            foreach (var (owning, tlp, pap, distribution, handling, named) in combinations)
            {
                var terms = new SharingTerms(owning, tlp, pap, distribution, handling, handling.HasFlag(HandlingCodes.H3) ? "ask first" : null)
                {
                    Recipients = named ? new HashSet<OrganisationRef> { recipient } : new HashSet<OrganisationRef>(),
                };
                terms.Validate().Should().BeNull();
                var row = new Sighting { Id = Guid.CreateVersion7(), Type = "ipv4", Value = "192.0.2.1", FirstSeenAt = now, LastSeenAt = now, CreatedAt = now };
                SharedColumns.Apply(row, terms, local);
                db.Sightings.Add(row);
                db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, terms, local, now));
                all.Add((row.Id, terms));
            }

            // Sightings need an indicator to point at; one suffices, its terms play no part here.
            var indicator = new Indicator { Id = Guid.CreateVersion7(), Type = "ipv4", Value = "192.0.2.1", Display = "192.0.2.1", CreatedAt = now, UpdatedAt = now };
            db.Indicators.Add(indicator);
            foreach (var sighting in db.ChangeTracker.Entries<Sighting>())
            {
                sighting.Entity.IndicatorId = indicator.Id;
            }

            await db.SaveChangesAsync();
        }

        all.Should().HaveCount(3 * 5 * 4 * 5 * 16 * 2);
        var viewers = new[]
        {
            (Org: owner, Groups: new[] { groupWithMember }),
            (Org: recipient, Groups: Array.Empty<Guid>()),
            (Org: member, Groups: new[] { groupWithMember }),
            (Org: neighbour, Groups: Array.Empty<Guid>()),
        };
        foreach (var (organisation, groups) in viewers)
        {
            var federated = new[] { PartnerNode };
            var viewer = Viewer.OfOrganisation(organisation, groups, federated);
            var expected = all.Where(o => SharingPolicy.Decide(viewer, o.Terms).MaySee).Select(o => o.Id).ToHashSet();

            await using var db = node.Database.Open(TenantScope.Of(organisation.Id).WithViewerFacts(groups, federated));
            var visible = await db.Sightings.AsNoTracking().Select(s => s.Id).ToListAsync();

            visible.Should().BeEquivalentTo(expected, $"the predicate must agree with the policy for {organisation}");
            expected.Should().NotBeEmpty().And.HaveCountLessThan(all.Count, "each viewer sees some rows and not others");
        }
    }

    [DbFact]
    public async Task A_context_without_a_viewer_sees_no_shared_rows()
    {
        await using var db = node.Database.Open(TenantScope.None);

        (await db.Indicators.CountAsync()).Should().Be(0);
        (await db.Sightings.CountAsync()).Should().Be(0);
        (await db.Reports.CountAsync()).Should().Be(0);
        (await db.SharingGroups.CountAsync()).Should().Be(0);
    }
}

public sealed class SharingPredicateTestsSqlite(SqliteFactory node) : SharingPredicateTests(node), IClassFixture<SqliteFactory>;

public sealed class SharingPredicateTestsPostgres(PostgresFactory node) : SharingPredicateTests(node), IClassFixture<PostgresFactory>;
