using Ribat.Core.Sharing;
using static Ribat.Core.Tests.Sharing.SharingWorld;

namespace Ribat.Core.Tests.Sharing;

public sealed class SharingGroupViewTests
{
    private static SharingGroup Group(bool confidential) =>
        new(GroupG, "Ransomware task force", Owner, new HashSet<OrganisationRef> { NeighbourInG, PartnerOrgInG, FarOrgInG }, confidential);

    private static IReadOnlyList<OrganisationRef> Seen(bool confidential, Viewer viewer) =>
        new SharingGroupView(Group(confidential)).MembersVisibleTo(viewer);

    [Fact]
    public void The_owner_sees_every_member_even_of_a_confidential_group() =>
        Seen(confidential: true, Viewer.OfOrganisation(Owner)).Should().BeEquivalentTo([Owner, NeighbourInG, PartnerOrgInG, FarOrgInG]);

    [Fact]
    public void A_member_of_a_confidential_group_sees_only_itself_and_the_owner() =>
        Seen(confidential: true, Viewer.OfOrganisation(PartnerOrgInG)).Should().BeEquivalentTo([Owner, PartnerOrgInG]);

    [Fact]
    public void A_member_of_an_open_group_sees_everyone() =>
        Seen(confidential: false, Viewer.OfOrganisation(FarOrgInG)).Should().BeEquivalentTo([Owner, NeighbourInG, PartnerOrgInG, FarOrgInG]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_organisation_outside_the_group_sees_nobody(bool confidential) =>
        Seen(confidential, Viewer.OfOrganisation(Neighbour)).Should().BeEmpty();

    [Fact]
    public void A_partner_node_learns_only_the_members_it_hosts_and_the_owner() =>
        Seen(confidential: true, Viewer.PartnerNode(Far)).Should().BeEquivalentTo([Owner, FarOrgInG]);

    [Fact]
    public void Only_the_owners_node_administrator_sees_the_membership()
    {
        Seen(confidential: true, Viewer.NodeAdministrator(Home)).Should().HaveCount(4);
        Seen(confidential: true, Viewer.NodeAdministrator(Partner)).Should().BeEmpty();
    }

    [Fact]
    public void The_group_knows_which_nodes_it_reaches()
    {
        var group = Group(confidential: true);
        group.Includes(Owner).Should().BeTrue("the owner belongs to its own group");
        group.Includes(PartnerOrg).Should().BeFalse();
        group.HasMemberOn(Far).Should().BeTrue();
        group.HasMemberOn(Guid.NewGuid()).Should().BeFalse();
    }
}
