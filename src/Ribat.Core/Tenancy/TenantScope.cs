namespace Ribat.Core.Tenancy;

/// <summary>
/// Which organisations' rows a database context may see. The default is <see cref="None"/>: a context
/// opened without a scope sees no owned rows at all, so a forgotten scope fails closed.
/// </summary>
public sealed record TenantScope
{
    private TenantScope(Guid? organisationId, bool nodeWide, string reason)
    {
        OrganisationId = organisationId;
        IsNodeWide = nodeWide;
        Reason = reason;
    }

    public Guid? OrganisationId { get; }

    public bool IsNodeWide { get; }

    public string Reason { get; }

    /// <summary>
    /// Sharing groups that include <see cref="OrganisationId"/> (as owner or member), read from the database
    /// before the scope is used for shared content. Empty for a scope built with <see cref="Of"/> alone.
    /// </summary>
    public IReadOnlyList<Guid> SharingGroups { get; private init; } = [];

    /// <summary>Partner nodes this node federates with directly; shared objects from them may reach this viewer.</summary>
    public IReadOnlyList<Guid> FederatedNodes { get; private init; } = [];

    /// <summary>The same organisation scope, with the viewer facts the sharing predicate needs.</summary>
    public TenantScope WithViewerFacts(IEnumerable<Guid> sharingGroups, IEnumerable<Guid> federatedNodes) =>
        new(OrganisationId, IsNodeWide, Reason)
        {
            SharingGroups = sharingGroups.Distinct().Order().ToArray(),
            FederatedNodes = federatedNodes.Distinct().Order().ToArray(),
        };

    public static TenantScope None { get; } = new(null, false, "none");

    public static TenantScope Of(Guid organisationId) => new(organisationId, false, "organisation");

    /// <summary>Every organisation's rows: node administrators, the CLI run by the node operator, and sign-in.</summary>
    public static TenantScope NodeWide(string reason) => new(null, true, reason);
}
