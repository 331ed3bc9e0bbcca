using Ribat.Core.Sharing;

namespace Ribat.Core.Tests.Sharing;

/// <summary>
/// A small federation for exercising the policy: the owner's node (Home), a partner it federates with
/// (Partner), and a node that federates with Partner but not with Home (Far). Sharing group G spans all
/// three; group H exists but none of the viewers below belongs to it.
/// </summary>
internal static class SharingWorld
{
    public static readonly Guid Home = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    public static readonly Guid Partner = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    public static readonly Guid Far = Guid.Parse("00000000-0000-0000-0000-00000000000c");
    public static readonly Guid GroupG = Guid.Parse("00000000-0000-0000-0000-0000000000f1");
    public static readonly Guid GroupH = Guid.Parse("00000000-0000-0000-0000-0000000000f2");

    public static readonly OrganisationRef Owner = Org(1, Home);
    public static readonly OrganisationRef RecipientAtHome = Org(2, Home);
    public static readonly OrganisationRef RecipientAbroad = Org(3, Partner);
    public static readonly OrganisationRef Neighbour = Org(4, Home);
    public static readonly OrganisationRef NeighbourInG = Org(5, Home);
    public static readonly OrganisationRef PartnerOrg = Org(6, Partner);
    public static readonly OrganisationRef PartnerOrgInG = Org(7, Partner);
    public static readonly OrganisationRef FarOrg = Org(8, Far);
    public static readonly OrganisationRef FarOrgInG = Org(9, Far);
    public static readonly OrganisationRef Stranger = Org(99, Far);

    public static readonly IReadOnlySet<OrganisationRef> GroupGMembers =
        new HashSet<OrganisationRef> { Owner, NeighbourInG, PartnerOrgInG, FarOrgInG };

    public static IReadOnlySet<OrganisationRef> Recipients { get; } = new HashSet<OrganisationRef> { RecipientAtHome, RecipientAbroad };

    /// <summary>Every viewer, each built from the facts a real caller would know about it.</summary>
    public static IReadOnlyList<(string Name, Viewer Viewer)> Viewers { get; } =
    [
        ("owner", Viewer.OfOrganisation(Owner, [GroupG], [Partner])),
        ("recipient at home", Viewer.OfOrganisation(RecipientAtHome, null, [Partner])),
        ("recipient abroad", Viewer.OfOrganisation(RecipientAbroad, null, [Home, Far])),
        ("neighbour", Viewer.OfOrganisation(Neighbour, null, [Partner])),
        ("neighbour in G", Viewer.OfOrganisation(NeighbourInG, [GroupG], [Partner])),
        ("partner org", Viewer.OfOrganisation(PartnerOrg, null, [Home, Far])),
        ("partner org in G", Viewer.OfOrganisation(PartnerOrgInG, [GroupG], [Home, Far])),
        ("far org", Viewer.OfOrganisation(FarOrg, null, [Partner])),
        ("far org in G", Viewer.OfOrganisation(FarOrgInG, [GroupG], [Partner])),
        ("node admin", Viewer.NodeAdministrator(Home)),
        ("partner node", Viewer.PartnerNode(Partner, [GroupG], [Home, Far])),
        ("partner node outside G", Viewer.PartnerNode(Partner, null, [Home, Far])),
        ("far node", Viewer.PartnerNode(Far, null, [Partner])),
        ("far node hosting G", Viewer.PartnerNode(Far, [GroupG], [Partner])),
    ];

    public static IReadOnlyList<(string Name, Distribution Distribution)> Distributions { get; } =
    [
        ("organisation-only", Distribution.OrganisationOnly),
        ("community", Distribution.Community),
        ("connected", Distribution.ConnectedCommunities),
        ("group G", Distribution.ToSharingGroup(GroupG)),
        ("group H", Distribution.ToSharingGroup(GroupH)),
    ];

    private static readonly OrganisationRef[] EveryViewerOrganisation =
        [Owner, RecipientAtHome, RecipientAbroad, Neighbour, NeighbourInG, PartnerOrg, PartnerOrgInG, FarOrg, FarOrgInG];

    public static IReadOnlyList<(string Name, SharingPermissions Permissions)> PermissionSets { get; } =
    [
        ("none", SharingPermissions.None),
        ("court", Grant(court: true, onward: false, EveryViewerOrganisation)),
        ("onward", Grant(court: false, onward: true, EveryViewerOrganisation)),
        ("court+onward", Grant(court: true, onward: true, EveryViewerOrganisation)),
        ("both to a stranger", Grant(court: true, onward: true, [Stranger])),
    ];

    public static SharingTerms Terms(Tlp tlp, Pap pap, Distribution distribution, HandlingCodes handling = HandlingCodes.None) =>
        new(Owner, tlp, pap, distribution, handling, handling.HasFlag(HandlingCodes.H3) ? "Tell the owner before any arrest." : null);

    private static SharingPermissions Grant(bool court, bool onward, IEnumerable<OrganisationRef> organisations) =>
        organisations.Aggregate(SharingPermissions.None, (p, o) =>
        {
            var granted = court ? p.GrantCourtUse(o) : p;
            return onward ? granted.GrantOnwardSharing(o) : granted;
        });

    private static OrganisationRef Org(int n, Guid node) => new(Guid.Parse($"00000000-0000-0000-0001-{n:D12}"), node);
}
