namespace Ribat.Core.Incidents;

/// <summary>
/// One entry of an incident's shared timeline: what happened when, who recorded it for which organisation, and
/// where it was learnt. Only the organisation that wrote an entry changes it; a replicated entry keeps its
/// author's organisation and STIX id.
/// </summary>
public sealed class TimelineEntry
{
    public Guid Id { get; set; }

    public required string StixId { get; set; }

    public Guid IncidentId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public Guid? AuthorUserId { get; set; }

    public required string AuthorName { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>The author organisation's node; null means this node.</summary>
    public Guid? OrganisationNode { get; set; }

    /// <summary>Where the fact comes from (a sensor, a partner's report, a phone call).</summary>
    public string? Source { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset? EditedAt { get; set; }
}

public enum IncidentTaskStatus
{
    Open,
    InProgress,
    Done,
    Cancelled,
}

/// <summary>Work for one participant organisation (or one of its people), with a due date.</summary>
public sealed class IncidentTask
{
    public Guid Id { get; set; }

    public required string StixId { get; set; }

    public Guid IncidentId { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public Guid AssigneeOrganisationId { get; set; }

    public Guid? AssigneeOrganisationNode { get; set; }

    public Guid? AssigneeUserId { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public IncidentTaskStatus Status { get; set; }

    /// <summary>The role expected to do it, when the task came from a playbook step.</summary>
    public string? Role { get; set; }

    /// <summary>The organisation that created the task; only it changes the task's content.</summary>
    public Guid OrganisationId { get; set; }

    public Guid? OrganisationNode { get; set; }

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

public enum SituationReportState
{
    Draft,
    Published,
}

/// <summary>
/// A situation report of one organisation on an incident. Each version is its own row: a draft is edited in
/// place; publishing freezes it, and the next edit starts a new draft version.
/// </summary>
public sealed class SituationReport
{
    public Guid Id { get; set; }

    public required string StixId { get; set; }

    public Guid IncidentId { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid? OrganisationNode { get; set; }

    public int Version { get; set; }

    public SituationReportState State { get; set; }

    public required string Title { get; set; }

    public required string Body { get; set; }

    public Guid? AuthorUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }
}

public enum IncidentLinkKind
{
    Indicator,
    Report,

    /// <summary>A typed value (an address, a digest…) that is the incident's own observable, not an indicator of the store.</summary>
    Value,
}

/// <summary>
/// Something one organisation linked to an incident: an indicator or intelligence report, named by its STIX id so the
/// link means the same object on every node, or a typed value in its canonical form. The link grants nothing: a viewer
/// sees a linked indicator or report only if the sharing policy shows them that object here; a value is seen exactly
/// when the incident is. Only the organisation that made a link removes it.
/// </summary>
public sealed class IncidentLink
{
    /// <summary>The uuid of <see cref="StixId"/>.</summary>
    public Guid Id { get; set; }

    /// <summary><c>x-ribat-incident-link--…</c>, fixed at creation; removal is its revoked version.</summary>
    public required string StixId { get; set; }

    public Guid IncidentId { get; set; }

    public IncidentLinkKind Kind { get; set; }

    /// <summary>The indicator or report row on this node it was linked from; null for a value and for a link made on another node.</summary>
    public Guid? TargetId { get; set; }

    /// <summary>The linked indicator's or report's STIX id (<c>indicator--…</c>, <c>report--…</c>); null for a value.</summary>
    public string? TargetStixId { get; set; }

    /// <summary>A value's indicator type (<c>ipv4</c>, <c>sha256</c>…).</summary>
    public string? ValueType { get; set; }

    /// <summary>A value in the canonical form of its type.</summary>
    public string? Value { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>The linking organisation's node; null means this node.</summary>
    public Guid? OrganisationNode { get; set; }

    public Guid? LinkedBy { get; set; }

    public DateTimeOffset LinkedAt { get; set; }
}

/// <summary>
/// What the incident use cases tell the outside world in the transaction of the change: organisations that were
/// just brought into an incident, and a new indicator on a critical one. Readiness implements it.
/// </summary>
public interface IIncidentAlerts
{
    Task SharedAsync(Data.RibatDbContext db, Incident incident, IReadOnlyCollection<Guid> organisations, CancellationToken cancellationToken);

    Task CriticalIndicatorAsync(Data.RibatDbContext db, Incident incident, IReadOnlyCollection<Guid> organisations, string indicator, CancellationToken cancellationToken);
}
