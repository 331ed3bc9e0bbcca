using Ribat.Core.Tenancy.Organisations;

namespace Ribat.Web.Components.Shared;

/// <summary>The editable fields of an organisation, shared by the create dialog and the details page.</summary>
public sealed class OrganisationForm
{
    public string? Name { get; set; }

    public string? Country { get; set; }

    public string Kind { get; set; } = "cert";

    public string? ContactName { get; set; }

    public string? ContactEmail { get; set; }

    public string? ContactPhone { get; set; }

    public bool RequireTwoFactor { get; set; }

    public static OrganisationForm From(OrganisationDto o) => new()
    {
        Name = o.Name,
        Country = o.Country,
        Kind = o.Kind,
        ContactName = o.ContactName,
        ContactEmail = o.ContactEmail,
        ContactPhone = o.ContactPhone,
        RequireTwoFactor = o.RequireTwoFactor,
    };

    public CreateOrganisationRequest ToCreateRequest() =>
        new(Name, Country, Kind, ContactName, ContactEmail, ContactPhone, RequireTwoFactor);

    /// <summary>A contact field left empty is sent as empty, which clears it.</summary>
    public UpdateOrganisationRequest ToUpdateRequest() =>
        new(Name, Country, Kind, ContactName ?? string.Empty, ContactEmail ?? string.Empty, ContactPhone ?? string.Empty, RequireTwoFactor);
}
