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

public sealed record IncidentLinkInput(string? Kind, Guid? TargetId);

/// <summary>A linked indicator or report the viewer may see; <c>Label</c> is its value or title.</summary>
public sealed record IncidentLinkDto(string Kind, Guid TargetId, string Label, Guid OrganisationId, DateTimeOffset LinkedAt, bool MayUnlink);

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
