namespace Ribat.Core.Tenancy;

/// <summary>The kinds of agency a node hosts. The CLI spells them in lower case (see <see cref="OrganisationKinds"/>).</summary>
public enum OrganisationKind
{
    Cert,
    Police,
    Prosecutor,
    Regulator,
    Private,
}

public static class OrganisationKinds
{
    public static string Spell(OrganisationKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out OrganisationKind kind)
    {
        // Enum.TryParse also takes numbers and comma-joined names ("police,prosecutor" is Regulator):
        // accept exactly one defined name.
        kind = default;
        var name = text?.Trim();
        return Enum.GetNames<OrganisationKind>().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } match
            && Enum.TryParse(match, out kind);
    }

    public static string Choices => string.Join(", ", Enum.GetValues<OrganisationKind>().Select(Spell));
}

/// <summary>An agency hosted on this node: the tenant that owns users, tokens and (later) every record.</summary>
public sealed class Organisation
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public required string Country { get; set; }

    public OrganisationKind Kind { get; set; }

    public string? ContactName { get; set; }

    public string? ContactEmail { get; set; }

    public string? ContactPhone { get; set; }

    /// <summary>When set, members must enrol a second factor before they can use anything else.</summary>
    public bool RequireTwoFactor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
