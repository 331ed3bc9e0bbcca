namespace Ribat.Core.CaseWork;

/// <summary>A task as a request spells it. On a change, absent fields stay as they are.</summary>
public sealed record CaseTaskInput(
    string? Title = null,
    string? Description = null,
    Guid? AssigneeUserId = null,
    DateTimeOffset? DueAt = null,
    string? Status = null);

public sealed record CaseTaskDto(
    Guid Id,
    Guid CaseId,
    string Title,
    string? Description,
    Guid? AssigneeUserId,
    string? AssigneeName,
    DateTimeOffset? DueAt,
    string Status,
    IReadOnlyList<string> AllowedTransitions,
    bool Overdue,
    Guid CreatedBy,
    string CreatedByName,
    DateTimeOffset CreatedAt,
    string UpdatedByName,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    bool MayChange);

/// <summary>
/// A note as a request spells it. An edit names in <c>BaseRevision</c> the revision it was made from; an edit
/// based on anything but the newest revision is refused.
/// </summary>
public sealed record CaseNoteInput(string? Title, string? Text, int? BaseRevision = null);

public sealed record CaseNoteDto(
    Guid Id,
    Guid CaseId,
    string Title,
    string Text,
    int Revision,
    string AuthorName,
    DateTimeOffset UpdatedAt,
    Guid CreatedBy,
    DateTimeOffset CreatedAt,
    bool MayEdit);

public sealed record CaseNoteRevisionDto(int Number, string Title, string Text, Guid AuthorUserId, string AuthorName, DateTimeOffset CreatedAt);

/// <summary>An analyst's timeline entry as a request spells it; <c>OccurredAt</c> defaults to now.</summary>
public sealed record CaseTimelineEntryInput(string? Text, DateTimeOffset? OccurredAt = null, string? Source = null);

/// <summary>
/// One line of a case's timeline, whatever it came from: <c>entry</c> (an analyst's), <c>custody</c> (a step of an
/// evidence item's chain of custody) or <c>finding</c> (what an analyser found). Fields that do not apply are null.
/// </summary>
public sealed record TimelineItemDto(
    string Kind,
    Guid Id,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string Title,
    string? Text,
    string? Author,
    string? Source,
    Guid? EvidenceId,
    string? EvidenceName,
    int? CustodySequence,
    string? FindingKind,
    string? Verdict);
