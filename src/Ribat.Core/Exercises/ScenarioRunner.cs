namespace Ribat.Core.Exercises;

/// <summary>What a node answered to one inject: played, or failed with the reason.</summary>
public sealed record TargetAnswer(bool Played, string? Reason, Guid? InjectId = null, Guid? IncidentId = null);

/// <summary>Where injects are played: a node's API (the CLI), or this node's use cases (a run started in the web UI).</summary>
public interface IInjectTarget
{
    Task<TargetAnswer> PlayAsync(Scenario scenario, Inject inject, DateTimeOffset plannedAt, CancellationToken cancellationToken);
}

/// <summary>One inject as it was played by the runner.</summary>
public sealed record InjectResult(Inject Inject, DateTimeOffset PlannedAt, DateTimeOffset ActualAt, bool Played, string? Reason, Guid? InjectId)
{
    public TimeSpan Late => ActualAt - PlannedAt;
}

/// <summary>
/// Plays a scenario's injects in order of their offsets, each at the run's start plus its offset divided by the time
/// scale. A failed inject (refused by the node, or the node unreachable) is reported with its reason and the run
/// goes on with the next; only cancellation stops it. Time comes from the <see cref="TimeProvider"/>, and the wait
/// can be replaced, so the timing is tested without waiting.
/// </summary>
public sealed class ScenarioRunner(TimeProvider clock, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? ((wait, ct) => Task.Delay(wait, clock, ct));

    public static DateTimeOffset PlannedAt(DateTimeOffset start, Inject inject, double timeScale) =>
        start + TimeSpan.FromTicks((long)(inject.At.Ticks / timeScale));

    public async Task<IReadOnlyList<InjectResult>> RunAsync(
        Scenario scenario, double timeScale, IInjectTarget target, Action<InjectResult>? played = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeScale, ScenarioParser.MinTimeScale);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeScale, ScenarioParser.MaxTimeScale);
        var start = clock.GetUtcNow();
        var results = new List<InjectResult>();
        foreach (var inject in scenario.Injects.OrderBy(i => i.At).ThenBy(i => i.Line))
        {
            var planned = PlannedAt(start, inject, timeScale);
            var wait = planned - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await _delay(wait, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var actual = clock.GetUtcNow();
            TargetAnswer answer;
            try
            {
                answer = await target.PlayAsync(scenario, inject, planned, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A node that is down or answers nonsense fails this inject only; the exercise goes on without it.
                answer = new TargetAnswer(false, ex.Message);
            }

            var result = new InjectResult(inject, planned, actual, answer.Played, answer.Reason, answer.InjectId);
            results.Add(result);
            played?.Invoke(result);
        }

        return results;
    }

    /// <summary>
    /// The inject as a node's API takes it: participants and a task's assignee by the names the scenario gives them,
    /// and a task's due offset as the time it falls at when the run is played at <paramref name="timeScale"/>.
    /// </summary>
    public static InjectInput ToInput(Scenario scenario, Inject inject, DateTimeOffset plannedAt, double timeScale)
    {
        string Name(string id) => scenario.Organisations.FirstOrDefault(o => o.Id == id)?.Name ?? id;
        DateTimeOffset? due = inject.Due is { } offset ? plannedAt + TimeSpan.FromTicks((long)((offset - inject.At).Ticks / timeScale)) : null;
        return new InjectInput(
            inject.Line, inject.Type, inject.Node, inject.Organisation, plannedAt, inject.Title, inject.Category, inject.Severity,
            inject.Participants?.Select(Name).ToList(), inject.IndicatorType, inject.Value, inject.Subject, inject.Body, inject.Text,
            inject.Assignee is { } assignee ? Name(assignee) : null, due, inject.Status);
    }
}
