namespace Ribat.Core.Sharing;

/// <summary>The four things the policy answers for every (viewer, object).</summary>
public enum SharingRight
{
    See,
    Reshare,
    UseInCourt,
    EnrichActively,
}

/// <summary>How a viewer stands towards one object, strongest relation first.</summary>
public enum ViewerRelation
{
    Owner,
    NamedRecipient,
    SharingGroupMember,
    Community,
    ConnectedCommunity,
    Outsider,
    NodeAdministrator,
    PartnerNode,
}

/// <summary>Why a right is withheld. Each has a stable kebab-case code (<see cref="DenialCodes.Spell"/>) a UI or API can show.</summary>
public enum DenialCode
{
    RecipientsOnly,
    OrganisationOnly,
    OutsideCommunity,
    OutsideConnectedCommunities,
    NotInSharingGroup,
    AdministrativeAccessIsNotContentAccess,
    TlpRedNoFurtherDisclosure,
    TlpAmberStrictStaysInOrganisation,
    TlpAmberStaysInOrganisation,
    OnwardSharingNeedsPermission,
    ConditionsNeedPermission,
    CourtUseNeedsPermission,
    TlpCourtUseNeedsPermission,
    PapAmberPassiveOnly,
    PapRedNoNetworkUse,
    NodeOnlyCarries,
}

public static class DenialCodes
{
    public static string Spell(this DenialCode code) => code switch
    {
        DenialCode.RecipientsOnly => "tlp-recipients-only",
        DenialCode.OrganisationOnly => "distribution-organisation-only",
        DenialCode.OutsideCommunity => "outside-community",
        DenialCode.OutsideConnectedCommunities => "outside-connected-communities",
        DenialCode.NotInSharingGroup => "not-in-sharing-group",
        DenialCode.AdministrativeAccessIsNotContentAccess => "administrative-access-is-not-content-access",
        DenialCode.TlpRedNoFurtherDisclosure => "tlp-red-no-further-disclosure",
        DenialCode.TlpAmberStrictStaysInOrganisation => "tlp-amber-strict-stays-in-organisation",
        DenialCode.TlpAmberStaysInOrganisation => "tlp-amber-stays-in-organisation",
        DenialCode.OnwardSharingNeedsPermission => "h2-onward-sharing-needs-permission",
        DenialCode.ConditionsNeedPermission => "h3-conditions-need-permission",
        DenialCode.CourtUseNeedsPermission => "h1-court-use-needs-permission",
        DenialCode.TlpCourtUseNeedsPermission => "tlp-court-use-needs-permission",
        DenialCode.PapAmberPassiveOnly => "pap-amber-passive-only",
        DenialCode.PapRedNoNetworkUse => "pap-red-no-network-use",
        DenialCode.NodeOnlyCarries => "partner-node-only-carries",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}

/// <summary>One withheld right and the reason.</summary>
public readonly record struct Denial(SharingRight Right, DenialCode Code)
{
    public override string ToString() => $"{Right}: {Code.Spell()}";
}

/// <summary>
/// The policy's answer. Nothing but <see cref="MaySee"/> can be true when <see cref="MaySee"/> is false, and
/// every right that is false has a denial naming it (or, when the viewer may not see, a denial of seeing).
/// </summary>
public sealed record SharingDecision(
    ViewerRelation Relation,
    bool MaySee,
    bool MayReshare,
    bool MayUseInCourt,
    bool MayEnrichActively,
    IReadOnlyList<Denial> Reasons)
{
    public bool Allows(SharingRight right) => right switch
    {
        SharingRight.See => MaySee,
        SharingRight.Reshare => MayReshare,
        SharingRight.UseInCourt => MayUseInCourt,
        SharingRight.EnrichActively => MayEnrichActively,
        _ => false,
    };
}
