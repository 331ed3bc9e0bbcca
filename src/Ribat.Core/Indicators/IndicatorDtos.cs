using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Indicators;

/// <summary>Who may record and change intelligence: everyone but prosecutors and viewers, who read.</summary>
public static class IntelligenceRoles
{
    public static bool MayWrite(Actor actor) =>
        actor.Roles.Contains(Roles.OrgAdmin) || actor.Roles.Contains(Roles.Analyst)
        || actor.Roles.Contains(Roles.Investigator) || actor.Roles.Contains(Roles.Liaison);
}

/// <summary>An object's terms as a viewer may see them, with the viewer's rights and the reasons for any withheld.</summary>
public sealed record SharingView(
    string Tlp,
    string Pap,
    string Distribution,
    Guid? SharingGroupId,
    string Handling,
    string? HandlingConditions,
    string? Evaluation,
    bool IsOwner,
    IReadOnlyList<Guid> Recipients,
    bool MayReshare,
    bool MayUseInCourt,
    bool MayEnrichActively,
    IReadOnlyList<string> Restrictions,
    IReadOnlyList<Guid> CourtUse,
    IReadOnlyList<Guid> OnwardSharing)
{
    /// <summary>Recipients are shown to the owner only: a recipient does not learn who else was addressed.</summary>
    public static SharingView From(ISharedObject row, SharingDecision decision, IEnumerable<ShareGrant> grants) => new(
        row.Tlp.Spell(),
        row.Pap.Spell(),
        row.Distribution switch
        {
            DistributionKind.OrganisationOnly => "organisation-only",
            DistributionKind.Community => "community",
            DistributionKind.ConnectedCommunities => "connected-communities",
            _ => "sharing-group",
        },
        row.SharingGroupId,
        row.Handling.Spell(),
        row.HandlingConditions,
        row.Evaluation,
        decision.Relation == ViewerRelation.Owner,
        OwnerOnly(row, decision, grants, ShareGrantKind.Recipient),
        decision.MayReshare,
        decision.MayUseInCourt,
        decision.MayEnrichActively,
        decision.Reasons.Select(r => r.ToString()).ToList(),
        OwnerOnly(row, decision, grants, ShareGrantKind.CourtUse),
        OwnerOnly(row, decision, grants, ShareGrantKind.OnwardSharing));

    /// <summary>Who else was granted something is the owner's business: a recipient sees only its own rights.</summary>
    private static List<Guid> OwnerOnly(ISharedObject row, SharingDecision decision, IEnumerable<ShareGrant> grants, ShareGrantKind kind) =>
        decision.Relation == ViewerRelation.Owner
            ? grants.Where(g => g.ObjectId == row.Id && g.Kind == kind).Select(g => g.OrganisationId).Order().ToList()
            : [];
}

public sealed record IndicatorDto(
    Guid Id,
    string Type,
    string Value,
    string Display,
    string? Pattern,
    Guid? ReportId,
    Guid OwnerOrganisationId,
    string? OwnerName,
    string? Comment,
    IReadOnlyList<string> Tags,
    int Confidence,
    int Score,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidUntil,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    bool ForDetection,
    string? WarningList,
    bool WarningSuppressed,
    bool FalsePositive,
    SharingView Sharing,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IndicatorOrigin? Origin = null)
{
    public static IndicatorDto From(Indicator row, SharingDecision decision, IEnumerable<ShareGrant> grants, string? ownerName, DateTimeOffset now,
        IndicatorOrigin? origin = null) => new(
        row.Id, row.Type, row.Value, row.Display, row.Pattern, row.ReportId, row.OwnerOrganisationId, ownerName, row.Comment, row.Tags,
        row.Confidence, IndicatorScore.Of(row, now), row.ValidFrom, row.ValidUntil, row.FirstSeen, row.LastSeen, row.ForDetection,
        row.WarningList, row.WarningSuppressed, row.FalsePositive, SharingView.From(row, decision, grants), row.CreatedAt, row.UpdatedAt,
        origin);
}

public sealed record ReportDto(
    Guid Id,
    string Title,
    string? Description,
    string? ThreatActor,
    string? MalwareFamily,
    IReadOnlyList<string> AttackTechniques,
    IReadOnlyList<string> Tags,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    Guid OwnerOrganisationId,
    string? OwnerName,
    int Indicators,
    SharingView Sharing,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ReportDto From(IntelligenceReport row, int indicators, SharingDecision decision, IEnumerable<ShareGrant> grants, string? ownerName) => new(
        row.Id, row.Title, row.Description, row.ThreatActor, row.MalwareFamily, row.AttackTechniques, row.Tags, row.FirstSeen, row.LastSeen,
        row.OwnerOrganisationId, ownerName, indicators, SharingView.From(row, decision, grants), row.CreatedAt, row.UpdatedAt);
}

public sealed record SightingDto(
    Guid Id,
    Guid IndicatorId,
    string Type,
    string Value,
    string Kind,
    int Count,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt,
    string? Source,
    string? Comment,
    Guid OwnerOrganisationId,
    string? OwnerName,
    SharingView Sharing,
    DateTimeOffset CreatedAt)
{
    public static SightingDto From(Sighting row, SharingDecision decision, IEnumerable<ShareGrant> grants, string? ownerName) => new(
        row.Id, row.IndicatorId, row.Type, row.Value, row.Kind == SightingKind.FalsePositive ? "false-positive" : "seen", row.Count,
        row.FirstSeenAt, row.LastSeenAt, row.Source, row.Comment, row.OwnerOrganisationId, ownerName, SharingView.From(row, decision, grants), row.CreatedAt);
}
