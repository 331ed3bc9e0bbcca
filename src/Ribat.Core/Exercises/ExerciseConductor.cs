using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ribat.Core.Common;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Exercises;

/// <summary>
/// Runs scenarios inside the server, for runs started from the web UI: each run plays in the background on this
/// node as the person who started it, until its last inject or until it is stopped. Runs still playing when the
/// server stops are recorded as stopped.
/// </summary>
public sealed class ExerciseConductor(
    StartExercise start, EndExercise end, ReadExercises read, PlayInject play, TimeProvider clock, ILogger<ExerciseConductor> logger)
    : IHostedService
{
    private readonly ConcurrentDictionary<Guid, Run> _runs = new();
    private readonly CancellationTokenSource _stopping = new();

    private sealed record Run(Actor Actor, CancellationTokenSource Cancel, Task Playing);

    /// <summary>Checks the scenario text, records the run and starts playing it; a bad file answers every problem by line.</summary>
    public async Task<Result<ExerciseDto>> StartAsync(Actor actor, string scenarioText, double? timeScale, CancellationToken cancellationToken = default)
    {
        if (Encoding.UTF8.GetByteCount(scenarioText) > ScenarioParser.MaxBytes)
        {
            return Error.Validation("scenario", $"The scenario is larger than {ScenarioParser.MaxBytes / 1024} KiB.");
        }

        var reading = ScenarioParser.Parse(scenarioText);
        if (!reading.IsValid)
        {
            return Error.Validation("scenario", string.Join(" ", reading.Problems.Select(p => p.ToString() + ".")));
        }

        var scenario = reading.Scenario!;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scenarioText)));
        var started = await start.HandleAsync(actor, new ExerciseInput(scenario.Name, hash, timeScale ?? scenario.TimeScale), cancellationToken);
        if (started.Value is not { } run)
        {
            return started;
        }

        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var gate = new TaskCompletionSource();
        var playing = Task.Run(async () =>
        {
            await gate.Task;
            await PlayAsync(actor, run, scenario, cancel.Token);
        }, CancellationToken.None);
        _runs[run.Id] = new Run(actor, cancel, playing);
        gate.SetResult();
        return run;
    }

    /// <summary>Whether the run is playing in this server now.</summary>
    public bool IsPlaying(Guid id) => _runs.ContainsKey(id);

    /// <summary>Stops a run of the actor's organisation: the injects not yet played are not played.</summary>
    public async Task<Result<ExerciseDto>> StopAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var found = await read.GetAsync(actor, id, cancellationToken);
        if (found.Error is not null)
        {
            return found;
        }

        if (_runs.TryGetValue(id, out var run))
        {
            await run.Cancel.CancelAsync();
            await run.Playing;
            return await read.GetAsync(actor, id, cancellationToken);
        }

        return await end.HandleAsync(actor, id, new ExerciseEndInput(Stopped: true), cancellationToken);
    }

    private async Task PlayAsync(Actor actor, ExerciseDto run, Scenario scenario, CancellationToken cancellationToken)
    {
        var stopped = false;
        try
        {
            await new ScenarioRunner(clock).RunAsync(scenario, run.TimeScale, new LocalInjectTarget(play, actor, run.Id, run.TimeScale), cancellationToken: cancellationToken);
        }
        catch (OperationCanceledException)
        {
            stopped = true;
        }
        catch (Exception ex)
        {
            stopped = true;
            logger.LogError(ex, "Exercise {Exercise} stopped on an unexpected error", run.Id);
        }

        try
        {
            await end.HandleAsync(actor, run.Id, new ExerciseEndInput(stopped), CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Exercise {Exercise} could not be recorded as ended", run.Id);
        }
        finally
        {
            if (_runs.TryRemove(run.Id, out var done))
            {
                done.Cancel.Dispose();
            }
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_runs.Values.Select(r => r.Playing)).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
