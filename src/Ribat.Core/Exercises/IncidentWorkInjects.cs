using Microsoft.EntityFrameworkCore;
using Ribat.Core.Incidents;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Exercises;

/// <summary>
/// Plays the injects that work on the run's incident as its participants do, through the incident use cases: a
/// task assigned to a participant named as the scenario names it, the assignee's progress on a task named by its
/// title, a situation report drafted from the incident's data, given the scenario's title and assessment, and
/// published, and the lead's move of the incident to another status (with the text as its reason). On a federated run each of these replicates to the other participants' nodes like anyone's work.
/// </summary>
public sealed class IncidentWorkInjects(
    SharingAccess sharing, AssignTask assign, UpdateTask update, DraftSitrep draft, EditSitrep edit, PublishSitrep publish, ChangeIncidentStatus move)
{
    internal async Task<PlayInject.Played> PlayAsync(Actor actor, Guid incident, InjectInput input, CancellationToken cancellationToken) => input.Type switch
    {
        "task" => await AssignAsync(actor, incident, input, cancellationToken),
        "task-status" => await ProgressAsync(actor, incident, input, cancellationToken),
        "status" => (await move.HandleAsync(actor, incident, new IncidentTransitionInput(input.Status, input.Text), cancellationToken))
            .Match(_ => new PlayInject.Played(incident, null, null), e => new PlayInject.Played(incident, null, PlayInject.Reason(e))),
        _ => await ReportAsync(actor, incident, input, cancellationToken),
    };

    private async Task<PlayInject.Played> AssignAsync(Actor actor, Guid incident, InjectInput input, CancellationToken cancellationToken)
    {
        var name = input.Assignee!.Trim();
        Guid? assignee;
        await using (var session = await sharing.OpenAsync(actor, cancellationToken))
        {
            // The scenario names organisations; the incident knows them by id, here or on partner nodes.
            var row = await session.Db.Incidents.Include(i => i.Participants).AsNoTracking().FirstAsync(i => i.Id == incident, cancellationToken);
            var ids = row.Participants.Select(p => p.OrganisationId).Append(row.OwnerOrganisationId).ToList();
            var names = await OrganisationNames.OfAsync(session.Db, ids, cancellationToken);
            assignee = ids.Where(id => names.TryGetValue(id, out var n) && n == name).Select(id => (Guid?)id).FirstOrDefault();
        }

        if (assignee is null)
        {
            return new PlayInject.Played(incident, null, $"{name} does not take part in the run's incident on this node.");
        }

        var assigned = await assign.HandleAsync(actor, incident, new IncidentTaskInput(input.Title!.Trim(), input.Text, assignee, DueAt: input.DueAt), cancellationToken);
        return assigned.Match(_ => new PlayInject.Played(incident, null, null), e => new PlayInject.Played(incident, null, PlayInject.Reason(e)));
    }

    private async Task<PlayInject.Played> ProgressAsync(Actor actor, Guid incident, InjectInput input, CancellationToken cancellationToken)
    {
        var title = input.Title!.Trim();
        Guid? task;
        await using (var session = await sharing.OpenAsync(actor, cancellationToken))
        {
            var organisation = session.Organisation!.Value.Id;
            task = await session.Db.IncidentTasks.AsNoTracking()
                .Where(t => t.IncidentId == incident && t.Title == title && t.AssigneeOrganisationId == organisation)
                .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);
        }

        if (task is not { } id)
        {
            return new PlayInject.Played(incident, null, $"No task '{title}' is assigned to this organisation on the run's incident on this node yet.", Awaiting: true);
        }

        var changed = await update.HandleAsync(actor, id, new IncidentTaskInput(Status: input.Status), cancellationToken);
        return changed.Match(_ => new PlayInject.Played(incident, null, null), e => new PlayInject.Played(incident, null, PlayInject.Reason(e)));
    }

    private async Task<PlayInject.Played> ReportAsync(Actor actor, Guid incident, InjectInput input, CancellationToken cancellationToken)
    {
        var drafted = await draft.HandleAsync(actor, incident, cancellationToken);
        if (drafted.Value is not { } sitrep)
        {
            return new PlayInject.Played(incident, null, PlayInject.Reason(drafted.Error!));
        }

        if (!string.IsNullOrWhiteSpace(input.Title) || !string.IsNullOrWhiteSpace(input.Text))
        {
            var title = string.IsNullOrWhiteSpace(input.Title) ? sitrep.Title : input.Title.Trim();
            var body = string.IsNullOrWhiteSpace(input.Text) ? sitrep.Body : $"{input.Text.Trim()}\n\n{sitrep.Body}";
            var edited = await edit.HandleAsync(actor, sitrep.Id, new SitrepInput(title, body), cancellationToken);
            if (edited.Error is { } refused)
            {
                return new PlayInject.Played(incident, null, PlayInject.Reason(refused));
            }
        }

        var published = await publish.HandleAsync(actor, sitrep.Id, cancellationToken);
        return published.Match(_ => new PlayInject.Played(incident, null, null), e => new PlayInject.Played(incident, null, PlayInject.Reason(e)));
    }
}
