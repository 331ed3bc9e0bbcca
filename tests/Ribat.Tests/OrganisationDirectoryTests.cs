using Ribat.Core.Tenancy;
using Ribat.Core.Tenancy.Organisations;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary>The directory members pick recipients from: every organisation's name and country, nothing else of it.</summary>
public abstract class OrganisationDirectoryTests(RibatFactory node)
{
    [DbFact]
    public async Task Any_member_sees_every_organisation_by_name_and_country_only()
    {
        var mine = await node.CreateOrganisationAsync(country: "MA");
        var theirs = await node.CreateOrganisationAsync(country: "JO");
        var viewer = await node.CreateUserAsync(mine.Id, Roles.Viewer);
        var actor = new Actor(viewer.Id, viewer.Email, mine.Id, new HashSet<string> { Roles.Viewer });

        var directory = await node.Get<ListOrganisationDirectory>().HandleAsync(actor);

        directory.Error.Should().BeNull();
        directory.Value.Should().ContainEquivalentOf(new OrganisationEntry(theirs.Id, theirs.Name, "JO"));
        directory.Value.Should().ContainEquivalentOf(new OrganisationEntry(mine.Id, mine.Name, "MA"));
        (await node.Get<ListOrganisations>().GetAsync(actor, theirs.Id)).Error!.Kind.Should().Be(Core.Common.ErrorKind.NotFound, "the full record stays filtered");
    }

    [DbFact]
    public async Task An_actor_outside_any_organisation_is_refused()
    {
        var nobody = new Actor(Guid.NewGuid(), "nobody", null, new HashSet<string> { Roles.Analyst });

        (await node.Get<ListOrganisationDirectory>().HandleAsync(nobody)).Error!.Kind.Should().Be(Core.Common.ErrorKind.Forbidden);
    }
}

public sealed class OrganisationDirectoryTestsSqlite(SqliteFactory node) : OrganisationDirectoryTests(node), IClassFixture<SqliteFactory>;

public sealed class OrganisationDirectoryTestsPostgres(PostgresFactory node) : OrganisationDirectoryTests(node), IClassFixture<PostgresFactory>;
