namespace Ribat.Core.Exercises;

public enum ExerciseStatus
{
    Running,
    Ended,
    Stopped,
}

public enum InjectOutcome
{
    Played,
    Failed,
}

/// <summary>
/// One run of a scenario on this node, for the organisation that started it. Objects the run creates point back
/// to it (<c>Incident.ExerciseId</c>, the inject rows), so real lists and metrics leave them out and the
/// after-action report finds them.
/// </summary>
public sealed class Exercise
{
    public Guid Id { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 (hex) of the scenario file as played, so a report names exactly what was run.</summary>
    public required string ScenarioHash { get; set; }

    public double TimeScale { get; set; }

    public ExerciseStatus Status { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public Guid? StartedBy { get; set; }
}

/// <summary>
/// One inject as it was played: when it was planned (the run's start plus its offset over the time scale) and
/// when it happened, what it created, or why it failed.
/// </summary>
public sealed class ExerciseInject
{
    public Guid Id { get; set; }

    public Guid ExerciseId { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>The inject's line in the scenario file.</summary>
    public int Line { get; set; }

    public required string Type { get; set; }

    /// <summary>The scenario's node and organisation ids, as the file spells them.</summary>
    public required string ScenarioNode { get; set; }

    public required string ScenarioOrganisation { get; set; }

    public required string Summary { get; set; }

    public DateTimeOffset PlannedAt { get; set; }

    public DateTimeOffset PlayedAt { get; set; }

    public InjectOutcome Outcome { get; set; }

    public string? Reason { get; set; }

    public Guid? IncidentId { get; set; }

    public Guid? TimelineEntryId { get; set; }

    public Guid? NotificationId { get; set; }
}
