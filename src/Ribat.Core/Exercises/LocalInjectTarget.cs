using Ribat.Core.Tenancy;

namespace Ribat.Core.Exercises;

/// <summary>Plays every inject on this node, as the person who started the run: every scenario node is this one.</summary>
internal sealed class LocalInjectTarget(PlayInject play, Actor actor, Guid exerciseId, double timeScale) : IInjectTarget
{
    public async Task<TargetAnswer> PlayAsync(Scenario scenario, Inject inject, DateTimeOffset plannedAt, CancellationToken cancellationToken)
    {
        var answer = await play.HandleAsync(actor, exerciseId, ScenarioRunner.ToInput(scenario, inject, plannedAt, timeScale), cancellationToken);
        return answer.Match(
            i => new TargetAnswer(i.Outcome == "played", i.Reason, i.Id, i.IncidentId),
            e => new TargetAnswer(false, PlayInject.Reason(e)));
    }
}
