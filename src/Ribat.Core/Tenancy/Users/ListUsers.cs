using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;

namespace Ribat.Core.Tenancy.Users;

/// <summary>
/// Users are personal data: administrators list the organisations they administer, anyone may read
/// their own record, and every read is audited.
/// </summary>
public sealed class ListUsers(RibatDatabase database, AuditTrail audit)
{
    public async Task<Result<Page<UserDto>>> HandleAsync(Actor actor, Guid? organisationId, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        if (!actor.IsNodeAdmin && !actor.IsOrgAdmin)
        {
            return Error.Forbidden("Only organisation and node administrators may list users.");
        }

        if (organisationId is { } requested && !actor.Administers(requested))
        {
            return Error.Forbidden("Only the organisation's administrators may list its users.");
        }

        var request = Cursor.ReadGuidPage(cursor, limit);
        if (request.Error is { } invalid)
        {
            return invalid;
        }

        var (after, take) = request.Value;

        await using var db = database.Open(actor);
        var query = db.Users.AsNoTracking();
        if (organisationId is { } org)
        {
            query = query.Where(u => u.OrganisationId == org);
        }

        if (after is { } last)
        {
            query = query.Where(u => u.Id.CompareTo(last) > 0);
        }

        var rows = await query.OrderBy(u => u.Id).Take(take + 1).ToListAsync(cancellationToken);
        var page = rows.Take(take).ToList();
        var roles = await RolesOf(db, page.Select(u => u.Id).ToList(), cancellationToken);
        var items = page.Select(u => UserRules.ToDto(u, roles.GetValueOrDefault(u.Id, []))).ToList();
        await audit.WriteAsync(actor, AuditEvents.UsersListed, organisationId ?? actor.OrganisationId, "organisation", organisationId?.ToString(), new { count = items.Count }, cancellationToken);
        return new Page<UserDto>(items, rows.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }

    /// <summary>
    /// How many users the administrator administers. A number is not personal data, so unlike a list it
    /// leaves no audit row.
    /// </summary>
    public async Task<Result<int>> CountAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (!actor.IsNodeAdmin && !actor.IsOrgAdmin)
        {
            return Error.Forbidden("Only organisation and node administrators may count users.");
        }

        await using var db = database.Open(actor);
        return await db.Users.CountAsync(cancellationToken);
    }

    public async Task<Result<UserDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(actor);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null || !(actor.UserId == id || actor.Administers(user.OrganisationId)))
        {
            return Error.NotFound("The user");
        }

        var roles = await RolesOf(db, [id], cancellationToken);
        if (actor.UserId != id)
        {
            await audit.WriteAsync(actor, AuditEvents.UserViewed, user.OrganisationId, "user", id.ToString(), cancellationToken: cancellationToken);
        }

        return UserRules.ToDto(user, roles.GetValueOrDefault(id, []));
    }

    /// <summary>Finds by e-mail address, for the shell (<c>--user EMAIL</c>).</summary>
    public async Task<UserDto?> FindByEmailAsync(Actor actor, string email, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(actor);
        var normalised = email.Trim().ToUpperInvariant();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalised, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var roles = await RolesOf(db, [user.Id], cancellationToken);
        return UserRules.ToDto(user, roles.GetValueOrDefault(user.Id, []));
    }

    internal static async Task<Dictionary<Guid, IReadOnlyList<string>>> RolesOf(RibatDbContext db, List<Guid> userIds, CancellationToken cancellationToken)
    {
        var pairs = await db.UserRoles.AsNoTracking()
            .Where(ur => userIds.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        return pairs.GroupBy(p => p.UserId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p.Name!).Order(StringComparer.Ordinal).ToList());
    }
}
