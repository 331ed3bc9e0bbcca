using System.Net.Mail;

namespace Ribat.Core.Tenancy.Users;

public sealed record UserDto(
    Guid Id,
    Guid OrganisationId,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    bool TwoFactorEnabled,
    bool Disabled,
    DateTimeOffset? LockedOutUntil,
    bool MustChangePassword,
    string Language,
    string Calendar,
    DateTimeOffset CreatedAt);

internal static class UserRules
{
    public static bool LooksLikeEmail(string? text) =>
        !string.IsNullOrWhiteSpace(text)
        && text.Length <= 256
        && MailAddress.TryCreate(text.Trim(), out var address)
        && address.Address == text.Trim()
        && address.Host.Contains('.', StringComparison.Ordinal);

    public static void Roles(Common.Validation v, IReadOnlyList<string>? roles, Actor actor)
    {
        if (roles is null)
        {
            return;
        }

        v.Require(roles.Count > 0, "roles", "at least one role is required.");
        foreach (var role in roles)
        {
            v.Require(Tenancy.Roles.IsKnown(role), "roles", $"role '{role}' is not one of: {Tenancy.Roles.Choices}.");
        }

        v.Require(actor.IsNodeAdmin || !roles.Contains(Tenancy.Roles.NodeAdmin), "roles", "only node administrators may grant node-admin.");
    }

    public static UserDto ToDto(RibatUser u, IReadOnlyList<string> roles) =>
        new(u.Id, u.OrganisationId, u.Email ?? string.Empty, u.DisplayName, roles, u.TwoFactorEnabled, u.Disabled,
            u.LockoutEnd is { } end && end > DateTimeOffset.UtcNow ? end : null,
            u.MustChangePassword, u.Language, u.Calendar.ToString().ToLowerInvariant(), u.CreatedAt);
}
