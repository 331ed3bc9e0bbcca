using Microsoft.AspNetCore.Identity;

namespace Ribat.Core.Tenancy;

public static class Languages
{
    public const string English = "en";
    public const string Arabic = "ar";
    public const string French = "fr";

    public static readonly IReadOnlyList<string> All = [English, Arabic, French];
}

public enum CalendarPreference
{
    Gregorian,
    Hijri,
}

/// <summary>A person on this node. The e-mail address is the login name and is unique node-wide.</summary>
public sealed class RibatUser : IdentityUser<Guid>
{
    public Guid OrganisationId { get; set; }

    public required string DisplayName { get; set; }

    public string Language { get; set; } = Languages.English;

    public CalendarPreference Calendar { get; set; }

    /// <summary>Set for generated or administrator-chosen passwords; the next login must replace it.</summary>
    public bool MustChangePassword { get; set; }

    public bool Disabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
