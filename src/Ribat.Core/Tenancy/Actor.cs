using System.Security.Claims;
using Ribat.Core.Common;

namespace Ribat.Core.Tenancy;

public enum TokenScope
{
    Read,
    Write,
}

/// <summary>
/// Who is acting: a signed-in user, an API token's user, or the node operator at the shell. Every use case
/// takes the actor explicitly and derives the tenant scope from it, never from ambient state.
/// </summary>
public sealed record Actor(
    Guid? UserId,
    string Name,
    Guid? OrganisationId,
    IReadOnlySet<string> Roles,
    TokenScope? TokenScope = null,
    string? Address = null)
{
    public const string OrganisationClaim = "ribat:org";
    public const string TokenScopeClaim = "ribat:token-scope";
    public const string TokenIdClaim = "ribat:token-id";

    /// <summary>The node operator at the shell: the person who can read the data directory anyway.</summary>
    public static Actor Operator { get; } = new(null, "operator (cli)", null, new HashSet<string> { Tenancy.Roles.NodeAdmin });

    public static Actor System(string name) => new(null, name, null, new HashSet<string> { Tenancy.Roles.NodeAdmin });

    /// <summary>The API token the request came with, if any.</summary>
    public Guid? TokenId { get; init; }

    public bool IsNodeAdmin => Roles.Contains(Tenancy.Roles.NodeAdmin);

    public bool IsOrgAdmin => Roles.Contains(Tenancy.Roles.OrgAdmin);

    public TenantScope Scope => IsNodeAdmin
        ? TenantScope.NodeWide("node administrator")
        : OrganisationId is { } org ? TenantScope.Of(org) : TenantScope.None;

    /// <summary>May this actor administer <paramref name="organisationId"/> (its users, tokens, settings, audit)?</summary>
    public bool Administers(Guid organisationId) => IsNodeAdmin || (IsOrgAdmin && OrganisationId == organisationId);

    /// <summary>Read-only API tokens may not change anything, whatever the user's roles.</summary>
    public Error? RequireWrite() =>
        TokenScope == Tenancy.TokenScope.Read
            ? Error.Forbidden("This API token is read-only; a write token is needed to change anything.")
            : null;

    public static Actor? FromPrincipal(ClaimsPrincipal principal, string? address = null)
    {
        if (principal.Identity?.IsAuthenticated != true
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(OrganisationClaim), out var org))
        {
            return null;
        }

        TokenScope? scope = principal.FindFirstValue(TokenScopeClaim) switch
        {
            "read" => Tenancy.TokenScope.Read,
            "write" => Tenancy.TokenScope.Write,
            _ => null,
        };
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new Actor(userId, principal.FindFirstValue(ClaimTypes.Name) ?? userId.ToString(), org, roles, scope, address);
    }
}
