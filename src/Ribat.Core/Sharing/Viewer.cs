namespace Ribat.Core.Sharing;

public enum ViewerKind
{
    /// <summary>A user acting for their organisation.</summary>
    Organisation,

    /// <summary>A node administrator acting administratively (not as a member of an organisation).</summary>
    NodeAdministrator,

    /// <summary>A federated partner node, asked about before anything leaves for it.</summary>
    PartnerNode,
}

/// <summary>
/// Who asks, described by facts the caller establishes from trusted state (the signed-in principal, the
/// node's partner configuration, sharing-group rows) — never from the request. The policy derives the
/// viewer's relation to each object from these facts and the object's terms.
/// </summary>
public sealed record Viewer
{
    private static readonly IReadOnlySet<Guid> NoIds = new HashSet<Guid>();

    private Viewer(ViewerKind kind, OrganisationRef? organisation, Guid node, IReadOnlySet<Guid> sharingGroups, IReadOnlySet<Guid> federatedNodes)
    {
        Kind = kind;
        Organisation = organisation;
        Node = node;
        SharingGroups = sharingGroups;
        FederatedNodes = federatedNodes;
    }

    public ViewerKind Kind { get; }

    /// <summary>Set exactly for <see cref="ViewerKind.Organisation"/>.</summary>
    public OrganisationRef? Organisation { get; }

    /// <summary>The node the viewer is on (for a partner node: that node).</summary>
    public Guid Node { get; }

    /// <summary>
    /// Sharing groups that include the viewer's organisation; for a partner node, groups with a member
    /// hosted on it.
    /// </summary>
    public IReadOnlySet<Guid> SharingGroups { get; }

    /// <summary>
    /// Nodes the viewer's node federates with directly, as far as this node knows. An object distributed
    /// to connected communities reaches a viewer only if its owner's node is among them.
    /// </summary>
    public IReadOnlySet<Guid> FederatedNodes { get; }

    public static Viewer OfOrganisation(OrganisationRef organisation, IEnumerable<Guid>? sharingGroups = null, IEnumerable<Guid>? federatedNodes = null) =>
        new(ViewerKind.Organisation, organisation, organisation.Node, ToSet(sharingGroups), ToSet(federatedNodes));

    /// <summary>A node administrator acting administratively: sees that objects exist and their terms, never their content.</summary>
    public static Viewer NodeAdministrator(Guid node) => new(ViewerKind.NodeAdministrator, null, node, NoIds, NoIds);

    /// <summary>A partner node as the destination of egress: "may this object leave for <paramref name="node"/> at all?"</summary>
    public static Viewer PartnerNode(Guid node, IEnumerable<Guid>? sharingGroupsWithMembersThere = null, IEnumerable<Guid>? federatedNodes = null) =>
        new(ViewerKind.PartnerNode, null, node, ToSet(sharingGroupsWithMembersThere), ToSet(federatedNodes));

    private static IReadOnlySet<Guid> ToSet(IEnumerable<Guid>? ids) => ids is null ? NoIds : ids.ToHashSet();
}
