using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Access;

/// <summary>A user replaces their own password; this also ends a forced change after a one-time password.</summary>
public sealed class ChangePassword(IServiceScopeFactory scopes, AuditTrail audit)
{
    public async Task<Result<bool>> HandleAsync(Actor actor, string? currentPassword, string? newPassword, CancellationToken cancellationToken = default)
    {
        if (actor.UserId is not { } userId || actor.TokenScope is not null)
        {
            return Error.Forbidden("Passwords are changed by their owner, signed in, not through an API token.");
        }

        var v = new Validation();
        v.Require(!string.IsNullOrEmpty(currentPassword), "currentPassword", "currentPassword is required.");
        v.Require(!string.IsNullOrEmpty(newPassword), "newPassword", "newPassword is required.");
        v.Require(newPassword is null || newPassword != currentPassword, "newPassword", "the new password must differ from the current one.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RibatUser>>();
        var db = scope.ServiceProvider.GetRequiredService<RibatDbContext>();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.MustChangePassword = false;
        audit.Add(db, actor, AuditEvents.PasswordChanged, user.OrganisationId, "user", userId.ToString());
        var changed = await users.ChangePasswordAsync(user, currentPassword!, newPassword!);
        if (!changed.Succeeded)
        {
            return changed.Errors.Any(e => e.Code == "PasswordMismatch")
                ? Error.Validation("currentPassword", "The current password is wrong.")
                : Error.Validation("newPassword", string.Join(" ", changed.Errors.Select(e => e.Description)));
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>What the enrolment page shows: the shared key to type in, and the otpauth URI for the QR code.</summary>
public sealed record AuthenticatorEnrolment(string SharedKey, string AuthenticatorUri);

/// <summary>TOTP enrolment (RFC 6238, the kind every authenticator app reads from a QR code) and its removal.</summary>
public sealed class TwoFactorEnrolment(IServiceScopeFactory scopes, AuditTrail audit)
{
    public const string Issuer = "Ribat";

    public async Task<Result<AuthenticatorEnrolment>> BeginAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RibatUser>>();
        if (await FindAsync(users, actor) is not { } user)
        {
            return Error.Forbidden("Only a signed-in user enrols a second factor.");
        }

        if (user.TwoFactorEnabled)
        {
            return Error.Conflict("A second factor is already enrolled; remove it first to enrol another.");
        }

        await users.ResetAuthenticatorKeyAsync(user);
        var key = (await users.GetAuthenticatorKeyAsync(user))!;
        var email = user.Email ?? user.UserName ?? user.Id.ToString();
        var uri = $"otpauth://totp/{UrlEncoder.Default.Encode(Issuer)}:{UrlEncoder.Default.Encode(email)}?secret={key}&issuer={UrlEncoder.Default.Encode(Issuer)}&digits=6";
        return new AuthenticatorEnrolment(FormatKey(key), uri);
    }

    public async Task<Result<bool>> ConfirmAsync(Actor actor, string? code, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RibatUser>>();
        var db = scope.ServiceProvider.GetRequiredService<RibatDbContext>();
        if (await FindAsync(users, actor) is not { } user)
        {
            return Error.Forbidden("Only a signed-in user enrols a second factor.");
        }

        var digits = (code ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit)
            || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
        {
            return Error.Validation("code", "The code does not match; check the authenticator app's clock and try the current code.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        audit.Add(db, actor, AuditEvents.TwoFactorEnabled, user.OrganisationId, "user", user.Id.ToString());
        await users.SetTwoFactorEnabledAsync(user, true);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<Result<bool>> DisableAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RibatUser>>();
        var db = scope.ServiceProvider.GetRequiredService<RibatDbContext>();
        if (await FindAsync(users, actor) is not { } user)
        {
            return Error.Forbidden("Only a signed-in user removes their second factor.");
        }

        var organisation = await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == user.OrganisationId, cancellationToken);
        if (organisation.RequireTwoFactor)
        {
            return Error.Conflict("Your organisation requires a second factor; it cannot be removed.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        audit.Add(db, actor, AuditEvents.TwoFactorDisabled, user.OrganisationId, "user", user.Id.ToString());
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<RibatUser?> FindAsync(UserManager<RibatUser> users, Actor actor) =>
        actor.UserId is { } id && actor.TokenScope is null ? await users.FindByIdAsync(id.ToString()) : null;

    private static string FormatKey(string key) =>
        string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
}
