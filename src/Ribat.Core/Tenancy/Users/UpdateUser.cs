using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;

namespace Ribat.Core.Tenancy.Users;

/// <summary>Only the fields present change. <c>Unlock</c> clears a lockout; <c>ResetTwoFactor</c> removes the second factor.</summary>
public sealed record UpdateUserRequest(
    string? DisplayName = null,
    IReadOnlyList<string>? Roles = null,
    bool? Disabled = null,
    bool? Unlock = null,
    bool? ResetTwoFactor = null);

/// <summary>Administrators change the people of the organisations they administer.</summary>
public sealed class UpdateUser(IServiceScopeFactory scopes, AuditTrail audit)
{
    public async Task<Result<UserDto>> HandleAsync(Actor actor, Guid id, UpdateUserRequest request, CancellationToken cancellationToken = default)
    {
        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RibatUser>>();
        var db = scope.ServiceProvider.GetRequiredService<RibatDbContext>();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null || !(actor.Administers(user.OrganisationId) || actor.UserId == id))
        {
            return Error.NotFound("The user");
        }

        if (!actor.Administers(user.OrganisationId))
        {
            return Error.Forbidden("Only the organisation's administrators may change its users.");
        }

        var v = new Validation();
        v.Require(request.DisplayName is null || (request.DisplayName.Trim().Length is > 0 and <= 200), "displayName", "displayName must be 1 to 200 characters.");
        v.RequirePrintable(request.DisplayName, "displayName");
        UserRules.Roles(v, request.Roles, actor);
        v.Require(!(actor.UserId == id && request.Disabled == true), "disabled", "you cannot disable your own account.");
        var current = await users.GetRolesAsync(user);
        if (!actor.IsNodeAdmin && current.Contains(Roles.NodeAdmin))
        {
            return Error.Forbidden("Only node administrators may change a node administrator.");
        }

        v.Require(!(actor.UserId == id && request.Roles is not null && current.Contains(Roles.NodeAdmin) && !request.Roles.Contains(Roles.NodeAdmin)), "roles", "you cannot remove node-admin from yourself.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = new List<string>();
        if (request.DisplayName is not null && request.DisplayName.Trim() != user.DisplayName)
        {
            user.DisplayName = request.DisplayName.Trim();
            changed.Add("displayName");
        }

        if (request.Disabled is { } disabled && disabled != user.Disabled)
        {
            user.Disabled = disabled;
            changed.Add("disabled");
        }

        if (request.Unlock == true && user.LockoutEnd is not null)
        {
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
            changed.Add("unlocked");
        }

        if (request.ResetTwoFactor == true && user.TwoFactorEnabled)
        {
            user.TwoFactorEnabled = false;
            changed.Add("twoFactorReset");
        }

        var roles = current.ToList();
        if (request.Roles is not null)
        {
            var wanted = request.Roles.Distinct(StringComparer.Ordinal).ToList();
            if (!wanted.Order().SequenceEqual(current.Order()))
            {
                var removed = await users.RemoveFromRolesAsync(user, current.Except(wanted));
                var added = await users.AddToRolesAsync(user, wanted.Except(current));
                if (!removed.Succeeded || !added.Succeeded)
                {
                    return IdentityErrors.ToError(removed.Succeeded ? added : removed);
                }

                roles = wanted;
                changed.Add("roles");
            }
        }

        if (changed.Count > 0)
        {
            if (changed.Any(c => c is "disabled" or "roles" or "twoFactorReset"))
            {
                // Signs the user out everywhere so the change takes effect now, not at cookie expiry.
                await users.UpdateSecurityStampAsync(user);
            }

            audit.Add(db, actor, AuditEvents.UserUpdated, user.OrganisationId, "user", user.Id.ToString(), new { changed, roles });
            var saved = await users.UpdateAsync(user);
            if (!saved.Succeeded)
            {
                return IdentityErrors.ToError(saved);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return UserRules.ToDto(user, roles);
    }
}
