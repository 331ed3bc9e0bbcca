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

    public static TenantScope None { get; } = new(null, false, "none");

    public static TenantScope Of(Guid organisationId) => new(organisationId, false, "organisation");

    /// <summary>Every organisation's rows: node administrators, the CLI run by the node operator, and sign-in.</summary>
    public static TenantScope NodeWide(string reason) => new(null, true, reason);
}
