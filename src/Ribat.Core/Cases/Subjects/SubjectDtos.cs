namespace Ribat.Core.Cases.Subjects;

/// <summary>Where something is known from: <c>text</c> (with <c>text</c>), or an <c>evidence</c> item, <c>finding</c> or <c>report</c> by id.</summary>
public sealed record SourceInput(string? Kind, Guid? Id = null, string? Text = null);

/// <summary>
/// A subject as sent. Identifier kinds need <c>value</c> (and may name its <c>valueType</c>); persons,
/// organisations and devices need <c>name</c>.
/// </summary>
public sealed record SubjectInput(
    string? Kind,
    SourceInput? Source,
    string? Value = null,
    string? ValueType = null,
    string? Name = null,
    IReadOnlyList<string>? Aliases = null,
    DateOnly? DateOfBirth = null,
    DateOnly? IncorporatedOn = null,
    IReadOnlyList<string>? Nationalities = null,
    IReadOnlyDictionary<string, string>? Attributes = null,
    string? Notes = null,
    DateTimeOffset? BaseUpdatedAt = null);

public sealed record RelationshipInput(
    string? Kind,
    Guid? FromId,
    Guid? ToId,
    SourceInput? Source,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? EndedAt = null,
    string? Notes = null);

/// <summary>
/// A relationship's new content (its ends stay): <c>baseUpdatedAt</c> is the <c>updatedAt</c> the edit was made from.
/// </summary>
public sealed record RelationshipEdit(
    string? Kind,
    SourceInput? Source,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? EndedAt = null,
    string? Notes = null,
    DateTimeOffset? BaseUpdatedAt = null);

/// <summary>One value of a finding to take into the case as a subject.</summary>
public sealed record FindingValueInput(Guid? FindingId, string? Type, string? Value);

public sealed record SourceDto(string Kind, Guid? Id, string? Text);

public sealed record SubjectDto(
    Guid Id,
    Guid CaseId,
    string Kind,
    string Label,
    string? Name,
    string? ValueType,
    string? Value,
    string? Display,
    IReadOnlyList<string> Aliases,
    DateOnly? DateOfBirth,
    DateOnly? IncorporatedOn,
    IReadOnlyList<string> Nationalities,
    IReadOnlyDictionary<string, string> Attributes,
    string? Notes,
    SourceDto Source,
    int Relationships,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record RelationshipDto(
    Guid Id,
    Guid CaseId,
    string Kind,
    bool Symmetric,
    Guid FromId,
    string FromLabel,
    Guid ToId,
    string ToLabel,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Notes,
    SourceDto Source,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A subject taken from a finding, and whether the case already had it.</summary>
public sealed record FindingSubjectDto(SubjectDto Subject, bool Reused);

/// <summary>A value of a finding that may become a subject, and the subject it already is, if any.</summary>
public sealed record FindingValueDto(Guid FindingId, Guid EvidenceId, string FindingTitle, string Type, string Value, string Kind, Guid? SubjectId);
