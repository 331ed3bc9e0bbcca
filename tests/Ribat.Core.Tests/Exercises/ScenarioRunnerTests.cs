using Ribat.Core.Exercises;

namespace Ribat.Core.Tests.Exercises;

/// <summary>The runner plays each inject at the run's start plus its offset over the time scale, and goes on past failures.</summary>
public sealed class ScenarioRunnerTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 12, 7, 44, 0, TimeSpan.Zero);

    private static Scenario ScenarioOf(params (int Minutes, string Type, string Node)[] injects) => new(
        "Timing", null, 60,
        [new ScenarioNode("jo", "Amman", "JO"), new ScenarioNode("ma", "Rabat", "MA")],
        [new ScenarioOrganisation("jo-cert", "jo", "JO-CERT", "JO", "cert"), new ScenarioOrganisation("ma-cert", "ma", "maCERT", "MA", "cert")],
        injects.Select((i, n) => new Inject(n + 10, TimeSpan.FromMinutes(i.Minutes), i.Type, i.Node, i.Node + "-cert", Text: "x")).ToList());

    [Fact]
    public async Task Injects_are_played_at_their_offsets_divided_by_the_time_scale_in_offset_order()
    {
        var clock = new SteppedClock(Start);
        var target = new RecordingTarget(clock);
        var waits = new List<TimeSpan>();
        var runner = new ScenarioRunner(clock, (wait, _) =>
        {
            waits.Add(wait);
            clock.Advance(wait + TimeSpan.FromMilliseconds(40)); // the machine is a little late waking up
            return Task.CompletedTask;
        });

        var results = await runner.RunAsync(ScenarioOf((30, "timeline", "jo"), (0, "incident", "jo"), (90, "email", "ma")), 60, target);

        results.Select(r => r.Inject.Type).Should().Equal("incident", "timeline", "email");
        results.Select(r => r.PlannedAt - Start).Should().Equal(TimeSpan.Zero, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90));
        results.Select(r => r.ActualAt - Start).Should().Equal(TimeSpan.Zero, TimeSpan.FromMilliseconds(30_040), TimeSpan.FromMilliseconds(90_040));
        results.Should().OnlyContain(r => r.Played && r.Late < TimeSpan.FromMilliseconds(100), "each wait is measured from the start, so lateness does not add up");
        waits.Should().Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(59_960)], "the first inject is due at once, the others after what is left of their wait");
        target.Played.Select(p => p.PlannedAt - Start).Should().Equal(TimeSpan.Zero, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task A_time_scale_below_one_slows_the_scenario_down_and_an_inject_already_late_is_played_at_once()
    {
        var clock = new SteppedClock(Start);
        var target = new RecordingTarget(clock) { Cost = TimeSpan.FromSeconds(5) };
        var runner = new ScenarioRunner(clock, (wait, _) =>
        {
            clock.Advance(wait);
            return Task.CompletedTask;
        });

        var results = await runner.RunAsync(ScenarioOf((0, "incident", "jo"), (0, "timeline", "jo"), (1, "timeline", "jo")), 0.5, target);

        results.Select(r => r.PlannedAt - Start).Should().Equal(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMinutes(2));
        results[1].ActualAt.Should().Be(Start + TimeSpan.FromSeconds(5), "it was due while the first was being played, so it goes at once");
        results[2].ActualAt.Should().Be(Start + TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task A_node_that_is_down_fails_its_injects_with_the_reason_and_the_run_goes_on()
    {
        var clock = new SteppedClock(Start);
        var target = new RecordingTarget(clock) { DownNode = "ma" };
        var runner = new ScenarioRunner(clock, (wait, _) =>
        {
            clock.Advance(wait);
            return Task.CompletedTask;
        });
        var seen = new List<InjectResult>();

        var results = await runner.RunAsync(ScenarioOf((0, "incident", "jo"), (5, "indicator", "ma"), (10, "timeline", "jo")), 60, target, seen.Add);

        results.Select(r => r.Played).Should().Equal(true, false, true);
        results[1].Reason.Should().Contain("Connection refused");
        results[1].PlannedAt.Should().Be(Start + TimeSpan.FromSeconds(5));
        seen.Should().Equal(results, "each result is reported as it happens");
        target.Played.Select(p => p.Inject.Node).Should().Equal("jo", "jo");
    }

    [Fact]
    public async Task Cancelling_stops_the_run_before_the_next_inject()
    {
        var clock = new SteppedClock(Start);
        var target = new RecordingTarget(clock);
        using var cancel = new CancellationTokenSource();
        var runner = new ScenarioRunner(clock, async (wait, ct) =>
        {
            await cancel.CancelAsync();
            ct.ThrowIfCancellationRequested();
        });

        var act = () => runner.RunAsync(ScenarioOf((0, "incident", "jo"), (5, "timeline", "jo")), 60, target, cancellationToken: cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        target.Played.Should().ContainSingle().Which.Inject.Type.Should().Be("incident");
    }

    [Fact]
    public void Participants_go_to_the_node_by_the_names_the_scenario_gives_them()
    {
        var scenario = ScenarioOf((0, "incident", "jo"));
        var inject = scenario.Injects[0] with { Participants = ["ma-cert", "unknown"], Title = "t" };

        var input = ScenarioRunner.ToInput(scenario, inject, Start, scenario.TimeScale);

        input.Participants.Should().Equal("maCERT", "unknown");
        input.PlannedAt.Should().Be(Start);
        input.Line.Should().Be(inject.Line);
    }

    [Fact]
    public void A_tasks_assignee_goes_by_name_and_its_due_offset_falls_on_the_played_clock()
    {
        var scenario = ScenarioOf((0, "incident", "jo"));
        var inject = scenario.Injects[0] with { Type = "task", Title = "t", At = TimeSpan.FromMinutes(10), Assignee = "ma-cert", Due = TimeSpan.FromMinutes(70) };

        var input = ScenarioRunner.ToInput(scenario, inject, Start, 60);

        input.Assignee.Should().Be("maCERT");
        input.DueAt.Should().Be(Start + TimeSpan.FromSeconds(60), "an hour of scenario time after the inject is a minute at 60 times");
        ScenarioRunner.ToInput(scenario, inject with { Due = null }, Start, 60).DueAt.Should().BeNull();
    }

    private sealed class SteppedClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class RecordingTarget(SteppedClock clock) : IInjectTarget
    {
        public List<(Inject Inject, DateTimeOffset PlannedAt)> Played { get; } = [];

        public TimeSpan Cost { get; init; }

        public string? DownNode { get; init; }

        public Task<TargetAnswer> PlayAsync(Scenario scenario, Inject inject, DateTimeOffset plannedAt, CancellationToken cancellationToken)
        {
            if (inject.Node == DownNode)
            {
                throw new HttpRequestException("Connection refused (127.0.0.1:9)");
            }

            Played.Add((inject, plannedAt));
            clock.Advance(Cost);
            return Task.FromResult(new TargetAnswer(true, null, Guid.CreateVersion7()));
        }
    }
}
