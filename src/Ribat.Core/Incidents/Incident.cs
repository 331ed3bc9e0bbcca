using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Incidents;

/// <summary>
/// A cyber incident handled jointly. The owning organisation leads it; its participants are named recipients of
/// its sharing terms, so who sees an incident is decided by the one sharing policy. The STIX id is fixed at
/// creation so that the same incident keeps one identity when it is replicated to partners' nodes.
/// </summary>
public sealed class Incident : ISharedObject
{
    public Guid Id { get; set; }

    /// <summary>The STIX 2.1 identifier (<c>incident--uuid</c>) the incident keeps on every node.</summary>
    public required string StixId { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    public Guid? OwnerNode { get; set; }

    public Tlp Tlp { get; set; }

    public Pap Pap { get; set; }

    public DistributionKind Distribution { get; set; }

    public Guid? SharingGroupId { get; set; }

    public HandlingCodes Handling { get; set; }

    public string? HandlingConditions { get; set; }

    public string? Evaluation { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    /// <summary>The ENISA reference taxonomy class, as <c>class:type</c> (<see cref="IncidentTaxonomy"/>).</summary>
    public required string Category { get; set; }

    public IncidentSeverity Severity { get; set; }

    /// <summary>Affected sectors by their stable spelling (<see cref="IncidentSectors"/>).</summary>
    public List<string> Sectors { get; set; } = [];

    /// <summary>Affected countries, ISO 3166-1 alpha-2.</summary>
    public List<string> Countries { get; set; } = [];

    public IncidentStatus Status { get; set; }

    public string? StatusReason { get; set; }

    public DateTimeOffset StatusChangedAt { get; set; }

    /// <summary>Set when the incident was merged into another one.</summary>
    public Guid? MergedIntoId { get; set; }

    /// <summary>When the incident was detected or reported to its lead; the start of every response clock.</summary>
    public DateTimeOffset ReportedAt { get; set; }

    /// <summary>First time the incident reached containment.</summary>
    public DateTimeOffset? ContainedAt { get; set; }

    /// <summary>When the incident was last closed or rejected.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>When the lead first shared the incident with a participant.</summary>
    public DateTimeOffset? FirstSharedAt { get; set; }

    /// <summary>Exercise data: played from a scenario, kept apart from real incidents.</summary>
    public bool IsExercise { get; set; }

    /// <summary>The exercise run that created the incident (set exactly when <see cref="IsExercise"/> is).</summary>
    public Guid? ExerciseId { get; set; }

    public List<IncidentParticipant> Participants { get; set; } = [];

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// An organisation working an incident with its lead. The times on it feed the response metrics: when it was
/// shared with it, when it acknowledged, and when it first acted (an entry, a task, a sitrep).
/// </summary>
public sealed class IncidentParticipant
{
    public Guid IncidentId { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>The node hosting the organisation; null means this node.</summary>
    public Guid? OrganisationNode { get; set; }

    public DateTimeOffset JoinedAt { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public Guid? AcknowledgedBy { get; set; }

    public DateTimeOffset? FirstActionAt { get; set; }
}

public enum IncidentSeverity
{
    Low,
    Medium,
    High,
    Critical,
}

public static class IncidentSeverities
{
    public static string Spell(this IncidentSeverity severity) => severity.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out IncidentSeverity severity)
    {
        severity = default;
        var name = text?.Trim();
        return Enum.GetNames<IncidentSeverity>().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } match
            && Enum.TryParse(match, out severity);
    }

    public static string Choices => string.Join(", ", Enum.GetValues<IncidentSeverity>().Select(Spell));
}

/// <summary>Sectors of the NIS2 Directive's annexes, by stable spelling.</summary>
public static class IncidentSectors
{
    public static readonly IReadOnlyList<string> All =
    [
        "energy", "transport", "banking", "financial-market-infrastructure", "health", "drinking-water", "waste-water",
        "digital-infrastructure", "ict-service-management", "public-administration", "space", "postal-and-courier",
        "waste-management", "chemicals", "food", "manufacturing", "digital-providers", "research", "education", "other",
    ];

    public static bool TryParse(string? text, out string sector)
    {
        var wanted = text?.Trim().ToLowerInvariant().Replace(' ', '-') ?? string.Empty;
        sector = All.FirstOrDefault(s => s == wanted) ?? string.Empty;
        return sector.Length > 0;
    }

    public static string Choices => string.Join(", ", All);
}
