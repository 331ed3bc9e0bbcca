using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;
using Ribat.Core.Tenancy.Users;

namespace Ribat.Core.Access;

public sealed record CreateApiTokenRequest(string? Name, string? Scope = "read", int? Days = 90, Guid? UserId = null);

/// <summary>The token record and its secret: the secret is shown this once and never again.</summary>
public sealed record CreatedApiToken(ApiTokenDto Token, string Secret);

internal static class TokenSecrets
{
    public const string Marker = "rbt_";
    public const int MaxDays = 366;

    public static string NewSecret() => Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

/// <summary>People create tokens for themselves; administrators may create them for people they administer.</summary>
public sealed class CreateApiToken(RibatDatabase database, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<CreatedApiToken>> HandleAsync(Actor actor, CreateApiTokenRequest request, CancellationToken cancellationToken = default)
    {
        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        var v = new Validation();
        v.Require(!string.IsNullOrWhiteSpace(request.Name) && request.Name.Trim().Length <= 100, "name", "name is required (at most 100 characters).");
        v.RequirePrintable(request.Name, "name");
        v.Require(request.Scope is "read" or "write", "scope", "scope must be read or write.");
        v.Require(request.Days is null or (>= 1 and <= TokenSecrets.MaxDays), "days", $"days must be between 1 and {TokenSecrets.MaxDays}.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var userId = request.UserId ?? actor.UserId;
        if (userId is null)
        {
            return Error.Validation("userId", "userId is required when the caller is not a user.");
        }

        await using var db = database.Open(actor);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || !(user.Id == actor.UserId || actor.Administers(user.OrganisationId)))
        {
            return Error.NotFound("The user");
        }

        if (user.Disabled)
        {
            return Error.Conflict("The user is disabled.");
        }

        var scope = request.Scope == "write" ? TokenScope.Write : TokenScope.Read;
        if (actor.TokenScope == TokenScope.Read && scope == TokenScope.Write)
        {
            return Error.Forbidden("A read-only token cannot create a write token.");
        }

        var secret = TokenSecrets.NewSecret();
        var now = clock.GetUtcNow();
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            OrganisationId = user.OrganisationId,
            Name = request.Name!.Trim(),
            Prefix = secret[..12],
            SecretHash = TokenSecrets.Hash(secret),
            Scope = scope,
            CreatedAt = now,
            ExpiresAt = now.AddDays(request.Days ?? 90),
        };
        db.ApiTokens.Add(token);
        audit.Add(db, actor, AuditEvents.ApiTokenCreated, user.OrganisationId, "api-token", token.Id.ToString(), new { userId = user.Id, scope = request.Scope, expires = token.ExpiresAt });
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiToken(ApiTokenDto.From(token, now), secret);
    }
}

/// <summary>Lists one's own tokens, or (administrators) the tokens of an organisation they administer.</summary>
public sealed class ListApiTokens(RibatDatabase database, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<Page<ApiTokenDto>>> HandleAsync(Actor actor, Guid? organisationId, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        var request = Cursor.ReadGuidPage(cursor, limit);
        if (request.Error is { } invalid)
        {
            return invalid;
        }

        var (after, take) = request.Value;

        if (organisationId is { } org && !actor.Administers(org))
        {
            return Error.Forbidden("Only the organisation's administrators may list its tokens.");
        }

        await using var db = database.Open(actor);
        var query = db.ApiTokens.AsNoTracking();
        query = organisationId is { } o ? query.Where(t => t.OrganisationId == o) : query.Where(t => t.UserId == actor.UserId);
        if (after is { } last)
        {
            query = query.Where(t => t.Id.CompareTo(last) > 0);
        }

        var rows = await query.OrderBy(t => t.Id).Take(take + 1).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var items = rows.Take(take).Select(t => ApiTokenDto.From(t, now)).ToList();
        if (organisationId is not null)
        {
            await audit.WriteAsync(actor, AuditEvents.ApiTokensListed, organisationId, "organisation", organisationId.ToString(), new { count = items.Count }, cancellationToken);
        }

        return new Page<ApiTokenDto>(items, rows.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }
}

/// <summary>Revoking is immediate and final; the row stays for the record.</summary>
public sealed class RevokeApiToken(RibatDatabase database, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<ApiTokenDto>> HandleAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        await using var db = database.Open(actor);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null || !(token.UserId == actor.UserId || actor.Administers(token.OrganisationId)))
        {
            return Error.NotFound("The API token");
        }

        var now = clock.GetUtcNow();
        if (token.RevokedAt is null)
        {
            token.RevokedAt = now;
            audit.Add(db, actor, AuditEvents.ApiTokenRevoked, token.OrganisationId, "api-token", token.Id.ToString(), new { userId = token.UserId });
            await db.SaveChangesAsync(cancellationToken);
        }

        return ApiTokenDto.From(token, now);
    }
}

/// <summary>
/// Turns a presented secret into the token's actor, or null. The token, its user's state and roles are read on
/// every request, in one query, so disabling a user, changing their roles or revoking a token takes effect at once,
/// on every node instance that shares the database.
/// </summary>
public sealed class AuthenticateApiToken(RibatDatabase database, TimeProvider clock)
{
    /// <summary>Last-used times are written at most this often per token, not on every request.</summary>
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>The token, its user's state and role names, compiled: it runs on every request that brings a token.</summary>
    private static readonly PerProvider<Func<RibatDbContext, string, Task<PresentedToken?>>> TokenWithUser = new(() =>
        EF.CompileAsyncQuery((RibatDbContext db, string hash) => (
                from t in db.ApiTokens.AsNoTracking()
                where t.SecretHash == hash
                join u in db.Users on t.UserId equals u.Id
                select new PresentedToken(
                    t.Id,
                    t.Scope,
                    t.RevokedAt,
                    t.ExpiresAt,
                    t.LastUsedAt,
                    u.Id,
                    u.Email,
                    u.DisplayName,
                    u.OrganisationId,
                    u.Disabled,
                    u.LockoutEnd,
                    db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToList()))
            .FirstOrDefault()));

    public async Task<Actor?> HandleAsync(string secret, string? address, CancellationToken cancellationToken = default)
    {
        if (!secret.StartsWith(TokenSecrets.Marker, StringComparison.Ordinal) || secret.Length is < 20 or > 100)
        {
            return null;
        }

        var hash = TokenSecrets.Hash(secret);
        await using var db = database.Open(TenantScope.NodeWide("token authentication"));
        var found = await TokenWithUser.For(db)(db, hash);
        var now = clock.GetUtcNow();
        if (found is null || found.RevokedAt is not null || found.ExpiresAt <= now
            || found.Disabled || (found.LockoutEnd is { } end && end > now))
        {
            return null;
        }

        if (found.LastUsedAt is null || now - found.LastUsedAt.Value > TouchInterval)
        {
            var id = found.Id;
            await db.ApiTokens.Where(t => t.Id == id).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        var roles = found.Roles.Where(r => r is not null).Select(r => r!).ToHashSet(StringComparer.Ordinal);
        return new Actor(found.UserId, found.Email ?? found.DisplayName, found.OrganisationId, roles, found.Scope, address)
        {
            TokenId = found.Id,
        };
    }

    private sealed record PresentedToken(
        Guid Id,
        TokenScope Scope,
        DateTimeOffset? RevokedAt,
        DateTimeOffset ExpiresAt,
        DateTimeOffset? LastUsedAt,
        Guid UserId,
        string? Email,
        string DisplayName,
        Guid OrganisationId,
        bool Disabled,
        DateTimeOffset? LockoutEnd,
        List<string?> Roles);
}
