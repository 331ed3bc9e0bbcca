using Ribat.Core.Common;

namespace Ribat.Core.Sharing;

/// <summary>
/// Permissions the owner has recorded for particular organisations. Each one lifts a handling code for that
/// organisation only; none of them widens who may see the object or lifts a TLP limit.
/// </summary>
public sealed record SharingPermissions(
    IReadOnlySet<OrganisationRef> CourtUse,
    IReadOnlySet<OrganisationRef> OnwardSharing)
{
    public static SharingPermissions None { get; } = new(new HashSet<OrganisationRef>(), new HashSet<OrganisationRef>());

    /// <summary>The owner allows <paramref name="organisation"/> to use the object in judicial proceedings (lifts H1).</summary>
    public SharingPermissions GrantCourtUse(OrganisationRef organisation) =>
        this with { CourtUse = new HashSet<OrganisationRef>(CourtUse) { organisation } };

    /// <summary>The owner allows <paramref name="organisation"/> to pass the object on (lifts H2 and H3).</summary>
    public SharingPermissions GrantOnwardSharing(OrganisationRef organisation) =>
        this with { OnwardSharing = new HashSet<OrganisationRef>(OnwardSharing) { organisation } };
}

/// <summary>Everything that decides who may see and do what with one shared object.</summary>
public sealed record SharingTerms(
    OrganisationRef Owner,
    Tlp Tlp,
    Pap Pap,
    Distribution Distribution,
    HandlingCodes Handling = HandlingCodes.None,
    string? HandlingConditions = null,
    Evaluation? Evaluation = null)
{
    /// <summary>Organisations the owner addressed explicitly; they see the object whatever its TLP or distribution.</summary>
    public IReadOnlySet<OrganisationRef> Recipients { get; init; } = new HashSet<OrganisationRef>();

    public SharingPermissions Permissions { get; init; } = SharingPermissions.None;

    /// <summary>Terms that a policy decision may rely on: H3 comes with its conditions and nothing else does.</summary>
    public Error? Validate()
    {
        var validation = new Validation()
            .Require(
                !Handling.HasFlag(HandlingCodes.H3) || !string.IsNullOrWhiteSpace(HandlingConditions),
                nameof(HandlingConditions),
                "H3 needs its conditions written out.")
            .Require(
                Handling.HasFlag(HandlingCodes.H3) || HandlingConditions is null,
                nameof(HandlingConditions),
                "Conditions are only recorded with handling code H3.")
            .Require(
                (Distribution.Kind == DistributionKind.SharingGroup) == Distribution.SharingGroupId.HasValue,
                nameof(Distribution),
                "A sharing-group distribution names its group.")
            .Require(!Recipients.Contains(Owner), nameof(Recipients), "The owner is not its own recipient.")
            .Require(Enum.IsDefined(Tlp), nameof(Tlp), "Unknown TLP level.")
            .Require(Enum.IsDefined(Pap), nameof(Pap), "Unknown PAP level.");
        return validation.IsValid ? null : validation.ToError();
    }
}
