using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Web.Components.Shared;

/// <summary>
/// The sharing terms as the editor holds them while a user changes them. It always sends every field, so what
/// the user sees is what is stored; a blank evaluation withdraws the current one.
/// </summary>
public sealed class SharingTermsForm
{
    public static readonly string[] TlpLevels = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"];

    public static readonly string[] PapLevels = ["PAP:CLEAR", "PAP:GREEN", "PAP:AMBER", "PAP:RED"];

    public static readonly string[] Distributions = ["organisation-only", "community", "connected-communities", "sharing-group"];

    public static readonly string[] HandlingCodes = ["H0", "H1", "H2", "H3"];

    public static readonly string[] Sources = ["A", "B", "C", "X"];

    public static readonly string[] Information = ["1", "2", "3", "4"];

    public string Tlp { get; set; } = "TLP:AMBER";

    public string Pap { get; set; } = "PAP:AMBER";

    public string Distribution { get; set; } = "organisation-only";

    public Guid? SharingGroupId { get; set; }

    public HashSet<string> Handling { get; set; } = [];

    public string? HandlingConditions { get; set; }

    public string? Source { get; set; }

    public string? Information4x4 { get; set; }

    public IReadOnlyCollection<Guid> Recipients { get; set; } = [];

    /// <summary>Organisations the owner lets use the object in judicial proceedings despite H1.</summary>
    public IReadOnlyCollection<Guid> CourtUse { get; set; } = [];

    /// <summary>Organisations the owner lets pass the object on despite H2.</summary>
    public IReadOnlyCollection<Guid> OnwardSharing { get; set; } = [];

    public static SharingTermsForm From(SharingView view) => new()
    {
        Tlp = view.Tlp,
        Pap = view.Pap,
        Distribution = view.Distribution,
        SharingGroupId = view.SharingGroupId,
        Handling = view.Handling.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
        HandlingConditions = view.HandlingConditions,
        Source = view.Evaluation is { Length: 2 } e ? e[..1] : null,
        Information4x4 = view.Evaluation is { Length: 2 } f ? f[1..] : null,
        Recipients = view.Recipients.ToList(),
        CourtUse = view.CourtUse.ToList(),
        OnwardSharing = view.OnwardSharing.ToList(),
    };

    public SharingTermsForm Copy() => new()
    {
        Tlp = Tlp,
        Pap = Pap,
        Distribution = Distribution,
        SharingGroupId = SharingGroupId,
        Handling = [.. Handling],
        HandlingConditions = HandlingConditions,
        Source = Source,
        Information4x4 = Information4x4,
        Recipients = Recipients.ToList(),
        CourtUse = CourtUse.ToList(),
        OnwardSharing = OnwardSharing.ToList(),
    };

    /// <summary>
    /// Half an evaluation is sent as it is, so the use case names what is missing. A permission is sent only with
    /// the handling code it lifts: unticking H1 or H2 withdraws the permissions that went with it.
    /// </summary>
    public SharingTermsInput ToInput() => new(
        Tlp,
        Pap,
        Distribution,
        Distribution == "sharing-group" ? SharingGroupId : null,
        string.Join(',', HandlingCodes.Where(Handling.Contains)),
        Handling.Contains("H3") ? HandlingConditions : null,
        (Source, Information4x4) switch
        {
            (null, null) => string.Empty,
            _ => $"{Source}{Information4x4}",
        },
        Recipients.ToList(),
        Handling.Contains("H1") ? CourtUse.ToList() : [],
        Handling.Contains("H2") ? OnwardSharing.ToList() : []);
}
