using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>
/// Changes a task: its content and assignee only by the organisation that created it; its status also by the
/// organisation it is assigned to, which is how a participant reports progress.
/// </summary>
public sealed class UpdateTask(SharingAccess sharing, AuditTrail audit, ReadIncidentWork read, TimeProvider clock)
{
    public async Task<Result<IncidentTaskDto>> HandleAsync(Actor actor, Guid taskId, IncidentTaskInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var task = await session.Db.IncidentTasks.FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null || await IncidentRules.FindAsync(session, task.IncidentId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The task");
        }

        var organisation = session.Organisation?.Id;
        var isAuthor = task.OrganisationId == organisation && task.OrganisationNode is null;
        var isAssignee = task.AssigneeOrganisationId == organisation && task.AssigneeOrganisationNode is null;
        var changesContent = input.Title is not null || input.Description is not null || input.AssigneeOrganisationId is not null
            || input.AssigneeUserId is not null || input.DueAt is not null;
        if (!isAuthor && !(isAssignee && !changesContent))
        {
            return Error.Forbidden(isAssignee
                ? "The organisation a task is assigned to changes only its status; the rest belongs to the organisation that created it."
                : "A task is changed only by the organisation that created it or, for its status, the organisation it is assigned to.");
        }

        if (IncidentRules.RefuseContribution(actor, session, row) is { } refused)
        {
            return refused;
        }

        var v = await IncidentWorkRules.ValidateTaskAsync(session.Db, row, input with
        {
            AssigneeOrganisationId = input.AssigneeOrganisationId ?? (input.AssigneeUserId is null ? null : task.AssigneeOrganisationId),
        }, creating: false, cancellationToken);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var now = clock.GetUtcNow();
        var from = task.Status;
        task.Title = input.Title?.Trim() ?? task.Title;
        task.Description = input.Description is null ? task.Description : IncidentWorkRules.Clean(input.Description);
        if (input.AssigneeOrganisationId is { } assignee && assignee != task.AssigneeOrganisationId)
        {
            task.AssigneeOrganisationId = assignee;
            task.AssigneeOrganisationNode = row.Participants.FirstOrDefault(p => p.OrganisationId == assignee)?.OrganisationNode
                ?? (assignee == row.OwnerOrganisationId ? row.OwnerNode : null);
            task.AssigneeUserId = null;
        }

        task.AssigneeUserId = input.AssigneeUserId ?? task.AssigneeUserId;
        task.DueAt = input.DueAt?.ToUniversalTime() ?? task.DueAt;
        if (IncidentTaskStatuses.TryParse(input.Status, out var status))
        {
            task.Status = status;
            task.CompletedAt = status is IncidentTaskStatus.Done or IncidentTaskStatus.Cancelled ? now : null;
        }

        task.UpdatedAt = now;
        IncidentRules.NoteAction(row, organisation!.Value, now);
        audit.Add(session.Db, actor, AuditEvents.IncidentTaskUpdated, organisation, "incident", row.Id.ToString(),
            new { task = task.Id, from = from.Spell(), to = task.Status.Spell() });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await IncidentReplication.TaskAsync(session.Db, row, task, isAuthor ? task.OrganisationId : organisation.Value, actor.UserId, session.LocalNode, clock, cancellationToken);
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("The task changed meanwhile; read it again.");
        }

        await transaction.CommitAsync(cancellationToken);

        return await read.TaskAsync(actor, task.Id, cancellationToken);
    }
}
