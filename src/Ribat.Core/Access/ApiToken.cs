using Ribat.Core.Tenancy;

namespace Ribat.Core.Access;

/// <summary>
/// An API token. Only the SHA-256 of the secret is stored: the secret is 256 random bits, so a fast hash
/// is as strong as a slow one and keeps per-request verification cheap. <see cref="Prefix"/> lets people
/// tell their tokens apart without revealing them.
/// </summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    public required string SecretHash { get; set; }

    public TokenScope Scope { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}

public sealed record ApiTokenDto(
    Guid Id,
    Guid UserId,
    string Name,
    string Prefix,
    string Scope,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt,
    bool Active)
{
    internal static ApiTokenDto From(ApiToken t, DateTimeOffset now) =>
        new(t.Id, t.UserId, t.Name, t.Prefix, t.Scope.ToString().ToLowerInvariant(), t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt,
            t.RevokedAt is null && t.ExpiresAt > now);
}
