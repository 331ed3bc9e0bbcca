using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Intelligence;

/// <summary>A sharing group still named by shared objects stays; its members keep what was distributed to them.</summary>
public abstract class SharingGroupUseTests(RibatFactory node)
{
    [DbFact]
    public async Task A_group_a_report_is_distributed_to_cannot_be_deleted_until_the_report_moves()
    {
        var org = await node.CreateOrganisationAsync();
        var member = await node.CreateOrganisationAsync();
        var user = await node.CreateUserAsync(org.Id, Roles.Analyst);
        var analyst = new Actor(user.Id, user.Email, org.Id, new HashSet<string> { Roles.Analyst });
        var groups = node.Get<SharingGroups>();
        var group = (await groups.CreateAsync(analyst, new SharingGroupInput("cell", Confidential: true, Members: [member.Id]))).Value!;
        var report = await node.Get<Reports>().CreateAsync(analyst, new ReportInput("wave", Sharing: new SharingTermsInput(Distribution: "sharing-group", SharingGroupId: group.Id)));
        report.Error.Should().BeNull();

        var refused = await groups.DeleteAsync(analyst, group.Id);

        refused.Error!.Kind.Should().Be(ErrorKind.Conflict);
        refused.Error.Message.Should().Contain("distributed to this group");
        (await node.Get<Reports>().UpdateAsync(analyst, report.Value!.Id, new ReportInput("wave", Sharing: new SharingTermsInput(Distribution: "community")))).Error.Should().BeNull();
        (await groups.DeleteAsync(analyst, group.Id)).Value.Should().BeTrue();
    }
}

public sealed class SharingGroupUseTestsSqlite(SqliteFactory node) : SharingGroupUseTests(node), IClassFixture<SqliteFactory>;

public sealed class SharingGroupUseTestsPostgres(PostgresFactory node) : SharingGroupUseTests(node), IClassFixture<PostgresFactory>;
