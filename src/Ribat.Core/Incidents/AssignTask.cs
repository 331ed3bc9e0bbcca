using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>
/// The lead or a participant creates a task for an organisation taking part in the incident (or one of its
/// people), with a due date. A task for an organisation that does not take part is refused.
/// </summary>
public sealed class AssignTask(SharingAccess sharing, AuditTrail audit, ReadIncidentWork read, TimeProvider clock)
{
    public async Task<Result<IncidentTaskDto>> HandleAsync(Actor actor, Guid incidentId, IncidentTaskInput input, CancellationToken cancellationToken = default) =>
        await HandleAsync(actor, incidentId, input, role: null, cancellationToken);

    internal async Task<Result<IncidentTaskDto>> HandleAsync(Actor actor, Guid incidentId, IncidentTaskInput input, string? role, CancellationToken cancellationToken)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await IncidentRules.FindAsync(session, incidentId, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The incident");
        }

        if (IncidentRules.RefuseContribution(actor, session, row) is { } refused)
        {
            return refused;
        }

        var v = await IncidentWorkRules.ValidateTaskAsync(session.Db, row, input, creating: true, cancellationToken);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var now = clock.GetUtcNow();
        var task = NewTask(row, session.Organisation!.Value.Id, actor, input, role, now);
        session.Db.IncidentTasks.Add(task);
        IncidentRules.NoteAction(row, task.OrganisationId, now);
        audit.Add(session.Db, actor, AuditEvents.IncidentTaskAssigned, task.OrganisationId, "incident", row.Id.ToString(),
            new { task = task.Id, assignee = task.AssigneeOrganisationId });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await IncidentReplication.TaskAsync(session.Db, row, task, task.OrganisationId, actor.UserId, session.LocalNode, clock, cancellationToken);
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await read.TaskAsync(actor, task.Id, cancellationToken);
    }

    internal static IncidentTask NewTask(Incident row, Guid organisation, Actor actor, IncidentTaskInput input, string? role, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7();
        return new IncidentTask
        {
            Id = id,
            StixId = IncidentRules.StixId(IncidentRules.TaskType, id),
            IncidentId = row.Id,
            Title = input.Title!.Trim(),
            Description = IncidentWorkRules.Clean(input.Description),
            AssigneeOrganisationId = input.AssigneeOrganisationId!.Value,
            AssigneeOrganisationNode = row.Participants.FirstOrDefault(p => p.OrganisationId == input.AssigneeOrganisationId)?.OrganisationNode
                ?? (input.AssigneeOrganisationId == row.OwnerOrganisationId ? row.OwnerNode : null),
            AssigneeUserId = input.AssigneeUserId,
            DueAt = input.DueAt?.ToUniversalTime(),
            Status = IncidentTaskStatus.Open,
            Role = role,
            OrganisationId = organisation,
            CreatedBy = actor.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
