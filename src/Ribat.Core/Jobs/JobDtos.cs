using System.Text.Json;

namespace Ribat.Core.Jobs;

/// <summary>
/// What to run: <c>kind</c> (<c>hunt</c> or <c>capture</c>), the case's evidence items to read, and for a hunt the
/// lowest Sigma level to report.
/// </summary>
public sealed record JobInput(string? Kind, IReadOnlyList<Guid>? EvidenceIds, string? MinLevel = null);

/// <summary>How far a job has come: <see cref="Done"/> of <see cref="Total"/> in <see cref="Unit"/> (bytes or files).</summary>
public sealed record JobProgressDto(string Phase, string Unit, long Done, long Total, long Records, long Detections);

public sealed record JobDto(
    Guid Id,
    Guid? CaseId,
    string Kind,
    string Status,
    IReadOnlyList<Guid> EvidenceIds,
    string? MinLevel,
    Guid StartedBy,
    string StartedByName,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JobProgressDto Progress,
    bool CancelRequested,
    string? Error,
    JsonElement? Summary,
    bool MayCancel)
{
    /// <summary>The incident whose items the job reads, when it runs on an incident rather than a case.</summary>
    public Guid? IncidentId { get; init; }
}
