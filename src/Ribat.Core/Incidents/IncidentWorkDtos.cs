using Ribat.Core.Common;

namespace Ribat.Core.Incidents;

/// <summary>A timeline entry as a request spells it; <c>OccurredAt</c> defaults to now.</summary>
public sealed record TimelineEntryInput(string? Text, DateTimeOffset? OccurredAt = null, string? Source = null);

public sealed record TimelineEntryDto(
    Guid Id,
    string StixId,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string AuthorName,
    Guid OrganisationId,
    string? OrganisationName,
    string? Source,
    string Text,
    DateTimeOffset? EditedAt,
    bool MayEdit);

/// <summary>
/// A task as a request spells it. On a change, absent fields stay as they are; only <c>Status</c> may be changed
/// by the assignee organisation.
/// </summary>
public sealed record IncidentTaskInput(
    string? Title = null,
    string? Description = null,
    Guid? AssigneeOrganisationId = null,
    Guid? AssigneeUserId = null,
    DateTimeOffset? DueAt = null,
    string? Status = null);

public sealed record IncidentTaskDto(
    Guid Id,
    string StixId,
    string Title,
    string? Description,
    Guid AssigneeOrganisationId,
    string? AssigneeOrganisationName,
    Guid? AssigneeUserId,
    string? AssigneeName,
    DateTimeOffset? DueAt,
    bool Overdue,
    string Status,
    string? Role,
    Guid OrganisationId,
    string? OrganisationName,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    bool MayEdit,
    bool MayChangeStatus);

public sealed record SitrepInput(string? Title, string? Body);

public sealed record SitrepDto(
    Guid Id,
    string StixId,
    int Version,
    string State,
    string Title,
    string Body,
    Guid OrganisationId,
    string? OrganisationName,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt,
    bool MayEdit);

/// <summary>
/// A link as a request spells it: <c>Kind</c> <c>indicator</c> or <c>report</c> with <c>TargetId</c> (the indicator's
/// or report's id), or <c>value</c> with <c>Type</c> (an indicator type such as <c>ipv4</c>) and <c>Value</c> (defanged
/// input is refanged, and the value stored canonical).
/// </summary>
public sealed record IncidentLinkInput(string? Kind, Guid? TargetId, string? Type = null, string? Value = null);

/// <summary>
/// A link the viewer may see: a linked indicator or report they may see (<c>TargetId</c> is its row here when there is
/// one, <c>TargetStixId</c> its STIX id), or a value (<c>ValueType</c>, <c>Value</c>). <c>Label</c> is the indicator's
/// value, the report's title or the value as read; <c>OrganisationNode</c> is the linking organisation's node (null:
/// this node).
/// </summary>
public sealed record IncidentLinkDto(
    Guid Id,
    string StixId,
    string Kind,
    Guid? TargetId,
    string? TargetStixId,
    string? ValueType,
    string? Value,
    string Label,
    Guid OrganisationId,
    string? OrganisationName,
    Guid? OrganisationNode,
    DateTimeOffset LinkedAt,
    bool MayUnlink);

public static class IncidentLinkKinds
{
    public static string Spell(IncidentLinkKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out IncidentLinkKind kind) => Spellings.TryParse(text, Spell, out kind);

    public static string Choices => string.Join(", ", Enum.GetValues<IncidentLinkKind>().Select(Spell));

    /// <summary>The types a value link may have: the indicator store's observable types (rules are linked as indicators).</summary>
    public static string ValueTypes => string.Join(", ", Forensics.Ioc.ObservableTypeNames.All.Select(t => Forensics.Ioc.ObservableTypeNames.ToName(t)));
}

public static class IncidentTaskStatuses
{
    public static string Spell(this IncidentTaskStatus status) => status switch
    {
        IncidentTaskStatus.InProgress => "in-progress",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? text, out IncidentTaskStatus status) => Spellings.TryParse(text, Spell, out status);

    public static string Choices => string.Join(", ", Enum.GetValues<IncidentTaskStatus>().Select(Spell));
}
