namespace Ribat.Core.Exercises;

/// <summary>A run about to start: the scenario's name, the SHA-256 (hex) of its file and the time scale it is played at.</summary>
/// <param name="Id">
/// The run's id when one scenario is played on several nodes: each node records the run under the same id, so an
/// incident one node shares with the others belongs to the same run everywhere. Absent: a new id.
/// </param>
public sealed record ExerciseInput(string? Name, string? ScenarioHash, double? TimeScale, Guid? Id = null);

/// <summary>How a run ends: <c>stopped</c> when it was cut short, else it ended after its last inject.</summary>
public sealed record ExerciseEndInput(bool? Stopped = null);

public sealed record ExerciseDto(
    Guid Id,
    string Name,
    string ScenarioHash,
    double TimeScale,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    int Injects,
    int Failed);

/// <summary>
/// One inject as a runner sends it to a node: the scenario's fields (<see cref="Inject"/>), with participants and a
/// task's assignee by organisation name, the time it was planned for, and a task's due time on the same clock.
/// </summary>
public sealed record InjectInput(
    int? Line,
    string? Type,
    string? Node,
    string? Organisation,
    DateTimeOffset? PlannedAt,
    string? Title = null,
    string? Category = null,
    string? Severity = null,
    IReadOnlyList<string>? Participants = null,
    string? IndicatorType = null,
    string? Value = null,
    string? Subject = null,
    string? Body = null,
    string? Text = null,
    string? Assignee = null,
    DateTimeOffset? DueAt = null,
    string? Status = null,
    int? WaitSeconds = null);

public sealed record InjectDto(
    Guid Id,
    int Line,
    string Type,
    string Node,
    string Organisation,
    string Summary,
    DateTimeOffset PlannedAt,
    DateTimeOffset PlayedAt,
    string Outcome,
    string? Reason,
    Guid? IncidentId,
    Guid? TimelineEntryId,
    Guid? NotificationId);

internal static class ExerciseMapping
{
    public static ExerciseDto ToDto(Exercise e, int injects, int failed) =>
        new(e.Id, e.Name, e.ScenarioHash, e.TimeScale, e.Status.ToString().ToLowerInvariant(), e.StartedAt, e.EndedAt, injects, failed);

    public static InjectDto ToDto(ExerciseInject i) =>
        new(i.Id, i.Line, i.Type, i.ScenarioNode, i.ScenarioOrganisation, i.Summary, i.PlannedAt, i.PlayedAt,
            i.Outcome.ToString().ToLowerInvariant(), i.Reason, i.IncidentId, i.TimelineEntryId, i.NotificationId);
}
