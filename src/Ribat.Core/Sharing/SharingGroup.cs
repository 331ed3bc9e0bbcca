namespace Ribat.Core.Sharing;

/// <summary>
/// Named organisations, possibly on several nodes, that an owner distributes to as one audience. In a
/// <see cref="Confidential"/> group the members do not learn of each other.
/// </summary>
public sealed record SharingGroup(
    Guid Id,
    string Name,
    OrganisationRef Owner,
    IReadOnlySet<OrganisationRef> Members,
    bool Confidential)
{
    /// <summary>The owner belongs to its own group whether or not it lists itself.</summary>
    public bool Includes(OrganisationRef organisation) => organisation == Owner || Members.Contains(organisation);

    /// <summary>Does any organisation of the group live on <paramref name="node"/>? (Egress to that node.)</summary>
    public bool HasMemberOn(Guid node) => Owner.Node == node || Members.Any(m => m.Node == node);
}

/// <summary>What of a sharing group's membership a viewer may be shown.</summary>
public sealed class SharingGroupView(SharingGroup group)
{
    /// <summary>
    /// The owner (and an administrator of the owner's node) sees every member. Elsewhere: an outsider sees
    /// nobody; a member sees everyone in an open group but only itself and the owner in a confidential one;
    /// a partner node sees only the organisations it hosts plus the owner, which is all it needs to deliver.
    /// </summary>
    public IReadOnlyList<OrganisationRef> MembersVisibleTo(Viewer viewer)
    {
        var everyone = new[] { group.Owner }.Concat(group.Members.Where(m => m != group.Owner).OrderBy(m => m.Node).ThenBy(m => m.Id)).ToArray();
        return viewer.Kind switch
        {
            ViewerKind.Organisation when viewer.Organisation is not { } org || !group.Includes(org) => [],
            ViewerKind.Organisation when viewer.Organisation == group.Owner || !group.Confidential => everyone,
            ViewerKind.Organisation => everyone.Where(m => m == group.Owner || m == viewer.Organisation).ToArray(),
            ViewerKind.NodeAdministrator when viewer.Node == group.Owner.Node => everyone,
            ViewerKind.PartnerNode => everyone.Where(m => m == group.Owner || m.Node == viewer.Node).ToArray(),
            _ => [],
        };
    }
}
