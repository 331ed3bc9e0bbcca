using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;

namespace Ribat.Core.Tenancy.Users;

public sealed record CreateUserRequest(Guid OrganisationId, string? Email, string? DisplayName, IReadOnlyList<string>? Roles, string? Password = null);

/// <summary>The new user, and the one-time password when none was given (shown once, never stored).</summary>
public sealed record CreatedUser(UserDto User, string? OneTimePassword);

/// <summary>
/// Org admins add people to their own organisation, node admins to any. Without a password a one-time
/// password is generated and the first sign-in must replace it.
/// </summary>
public sealed class CreateUser(IServiceScopeFactory scopes, RibatDatabase database, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<CreatedUser>> HandleAsync(Actor actor, CreateUserRequest request, CancellationToken cancellationToken = default)
    {
        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        await using (var scoped = database.Open(actor))
        {
            if (!await scoped.Organisations.AnyAsync(o => o.Id == request.OrganisationId, cancellationToken))
            {
                return Error.NotFound("The organisation");
            }
        }

        if (!actor.Administers(request.OrganisationId))
        {
            return Error.Forbidden("Only the organisation's administrators may add its users.");
        }

        var v = new Validation();
        v.Require(UserRules.LooksLikeEmail(request.Email), "email", $"email '{request.Email}' is not an e-mail address.");
        v.Require(request.DisplayName is null || request.DisplayName.Trim().Length <= 200, "displayName", "displayName must be at most 200 characters.");
        v.RequirePrintable(request.DisplayName, "displayName");
        v.Require(request.Roles is not null, "roles", "roles is required.");
        UserRules.Roles(v, request.Roles, actor);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var email = request.Email!.Trim();
        var generated = request.Password is null ? GeneratePassword() : null;
        var user = new RibatUser
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = request.OrganisationId,
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email : request.DisplayName.Trim(),
            MustChangePassword = generated is not null,
            CreatedAt = clock.GetUtcNow(),
            LockoutEnabled = true,
        };

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RibatUser>>();
        var db = scope.ServiceProvider.GetRequiredService<RibatDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(user, request.Password ?? generated!);
        if (!created.Succeeded)
        {
            return IdentityErrors.ToError(created);
        }

        var roles = request.Roles!.Distinct(StringComparer.Ordinal).ToList();
        var added = await users.AddToRolesAsync(user, roles);
        if (!added.Succeeded)
        {
            return IdentityErrors.ToError(added);
        }

        audit.Add(db, actor, AuditEvents.UserCreated, user.OrganisationId, "user", user.Id.ToString(), new { roles });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedUser(UserRules.ToDto(user, roles), generated);
    }

    /// <summary>20 characters from an alphabet without look-alikes: about 113 bits.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }
}

/// <summary>Turns Identity's error list into one validation or conflict result.</summary>
internal static class IdentityErrors
{
    public static Error ToError(IdentityResult result)
    {
        var errors = result.Errors.ToList();
        if (errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
        {
            return Error.Conflict("A user with this e-mail address already exists.");
        }

        var field = errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "user";
        return Error.Validation(field, string.Join(" ", errors.Select(e => e.Description)));
    }
}
