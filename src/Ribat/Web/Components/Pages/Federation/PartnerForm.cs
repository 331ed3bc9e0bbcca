using Ribat.Core.Federation.Partners;

namespace Ribat.Web.Components.Pages.Federation;

/// <summary>The partner form's state; the credential field is write-only and empty on every edit.</summary>
public sealed class PartnerForm
{
    public static readonly IReadOnlyList<string> Distributions = ["connected-communities", "sharing-group"];

    public static readonly IReadOnlyList<string> Ceilings = ["clear", "green", "amber", "amber+strict", "red"];

    public string? Name { get; set; }

    public string? NodeId { get; set; }

    public string? ApiRoot { get; set; }

    public string? UserName { get; set; }

    public string? Credential { get; set; }

    public string? PublicKey { get; set; }

    public IReadOnlyCollection<string> AllowedDistributions { get; set; } = ["connected-communities"];

    public IReadOnlyCollection<Guid> AllowedSharingGroups { get; set; } = [];

    public string TlpCeiling { get; set; } = "green";

    public static PartnerForm From(PartnerDto partner) => new()
    {
        Name = partner.Name,
        NodeId = partner.NodeId.ToString(),
        ApiRoot = partner.ApiRoot,
        UserName = partner.UserName,
        PublicKey = partner.PublicKeyPem,
        AllowedDistributions = partner.AllowedDistributions.ToList(),
        AllowedSharingGroups = partner.AllowedSharingGroups.Select(g => g.Id).ToList(),
        TlpCeiling = partner.TlpCeiling.Replace("TLP:", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
    };

    /// <summary>
    /// The input for Core. A node id that is not a GUID goes as the empty GUID, which Core refuses by field;
    /// on an edit an empty credential keeps the stored one and an empty user name switches to Bearer.
    /// </summary>
    public PartnerInput ToInput(bool adding) => new(
        Name,
        adding ? (Guid.TryParse(NodeId?.Trim(), out var node) ? node : Guid.Empty) : null,
        ApiRoot,
        adding ? (string.IsNullOrWhiteSpace(UserName) ? null : UserName.Trim()) : (UserName?.Trim() ?? string.Empty),
        adding || !string.IsNullOrEmpty(Credential) ? Credential : null,
        PublicKey,
        AllowedDistributions.ToList(),
        AllowedSharingGroups.ToList(),
        TlpCeiling);
}
