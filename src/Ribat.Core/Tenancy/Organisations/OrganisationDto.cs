namespace Ribat.Core.Tenancy.Organisations;

public sealed record OrganisationDto(
    Guid Id,
    string Name,
    string Country,
    string Kind,
    string? ContactName,
    string? ContactEmail,
    string? ContactPhone,
    bool RequireTwoFactor,
    DateTimeOffset CreatedAt)
{
    internal static OrganisationDto From(Organisation o) =>
        new(o.Id, o.Name, o.Country, OrganisationKinds.Spell(o.Kind), o.ContactName, o.ContactEmail, o.ContactPhone, o.RequireTwoFactor, o.CreatedAt);
}

/// <summary>Field rules shared by creating and changing an organisation.</summary>
internal static class OrganisationRules
{
    public const int MaxName = 200;

    public static void Name(Common.Validation v, string? name) =>
        v.Require(!string.IsNullOrWhiteSpace(name), "name", "name is required.")
         .Require(name is null || name.Trim().Length <= MaxName, "name", $"name must be at most {MaxName} characters.")
         .RequirePrintable(name, "name");

    /// <summary>Blank optional fields are stored as absent, not as empty strings.</summary>
    public static string? Optional(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static void Country(Common.Validation v, string? country) =>
        v.Require(Countries.TryNormalise(country, out _), "country", $"country '{country}' is not an ISO 3166-1 alpha-2 code (for example FR, MA, JO).");

    public static void Kind(Common.Validation v, string? kind) =>
        v.Require(OrganisationKinds.TryParse(kind, out _), "kind", $"kind '{kind}' is not one of: {OrganisationKinds.Choices}.");

    public static void Contact(Common.Validation v, string? name, string? email, string? phone)
    {
        v.Require(name is null || name.Length <= 200, "contactName", "contactName must be at most 200 characters.");
        v.RequirePrintable(name, "contactName");
        // An empty value clears the field (see UpdateOrganisation), so only non-empty values are checked.
        v.Require(string.IsNullOrWhiteSpace(email) || (email.Length <= 256 && Users.UserRules.LooksLikeEmail(email)), "contactEmail", $"contactEmail '{email}' is not an e-mail address.");
        v.Require(string.IsNullOrWhiteSpace(phone) || (phone.Length <= 64 && phone.All(c => char.IsDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.')), "contactPhone", "contactPhone may hold only digits, spaces and + - ( ) . (at most 64).");
    }
}
