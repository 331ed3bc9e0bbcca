using Microsoft.EntityFrameworkCore;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.CaseWork;

/// <summary>Checking and showing a case's tasks.</summary>
internal static class CaseTasks
{
    public static Validation Validate(CaseTaskInput input, Case row, bool creating, DateTimeOffset now)
    {
        var v = new Validation()
            .Require(!creating || !string.IsNullOrWhiteSpace(input.Title), "title", "A task needs a title.")
            .Require(creating || input.Title is null || !string.IsNullOrWhiteSpace(input.Title), "title", "A task needs a title.")
            .Require(input.Title is null || input.Title.Trim().Length <= CaseWorkRules.MaxTitle, "title", $"The title is at most {CaseWorkRules.MaxTitle} characters.")
            .RequirePrintable(input.Title, "title")
            .RequireText(input.Description, "description", CaseWorkRules.MaxDescription, required: false, "A task")
            .Require(input.Status is null || CaseTaskStatuses.TryParse(input.Status, out _), "status", $"'{input.Status}' is not a task status ({CaseTaskStatuses.Choices}).")
            .Require(input.DueAt is null || input.DueAt >= now.AddYears(-10), "dueAt", "The due date is more than ten years ago.")
            .Require(input.DueAt is null || input.DueAt <= now.AddYears(50), "dueAt", "The due date is more than fifty years ahead.");
        if (input.AssigneeUserId is { } assignee && !CaseWorkRules.TeamOf(row).Contains(assignee))
        {
            v.Add("assigneeUserId", $"User {assignee} is not the lead or a member of the case's team.");
        }

        return v;
    }

    public static async Task<List<CaseTaskDto>> ToDtosAsync(ContentSession session, Actor actor, Case row, IReadOnlyList<CaseTask> tasks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var names = await CaseWorkRules.NamesAsync(session, tasks.Where(t => t.AssigneeUserId is not null).Select(t => t.AssigneeUserId!.Value), cancellationToken);
        var mayWrite = CaseWorkRules.MayWrite(actor, session, row) && row.Status != CaseStatus.Closed;
        return tasks.Select(t => new CaseTaskDto(
            t.Id, t.CaseId, t.Title, t.Description, t.AssigneeUserId, t.AssigneeUserId is { } a ? names.GetValueOrDefault(a) : null, t.DueAt,
            t.Status.Spell(), CaseTaskStatuses.AllowedFrom(t.Status).Select(s => s.Spell()).ToList(),
            t.DueAt is { } due && due < now && t.Status is CaseTaskStatus.Open or CaseTaskStatus.InProgress,
            t.CreatedBy, t.CreatedByName, t.CreatedAt, t.UpdatedByName, t.UpdatedAt, t.CompletedAt, mayWrite)).ToList();
    }
}

/// <summary>The case team creates a task, optionally for one of its members, with a due date.</summary>
public sealed class CreateCaseTask(SharingAccess sharing, Audit.AuditTrail audit, ReadCaseWork read, TimeProvider clock)
{
    public async Task<Result<CaseTaskDto>> HandleAsync(Actor actor, Guid caseId, CaseTaskInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (await CaseWorkRules.FindAsync(session, caseId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The case");
        }

        if (CaseWorkRules.RefuseWrite(actor, session, row) is { } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        var v = CaseTasks.Validate(input, row, creating: true, now);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var status = CaseTaskStatuses.TryParse(input.Status, out var given) ? given : CaseTaskStatus.Open;
        var task = new CaseTask
        {
            Id = Guid.CreateVersion7(),
            CaseId = row.Id,
            Title = input.Title!.Trim(),
            Description = CaseWorkRules.Clean(input.Description),
            AssigneeUserId = input.AssigneeUserId,
            DueAt = input.DueAt?.ToUniversalTime(),
            Status = status,
            CreatedBy = actor.UserId!.Value,
            CreatedByName = actor.Name,
            CreatedAt = now,
            UpdatedBy = actor.UserId!.Value,
            UpdatedByName = actor.Name,
            UpdatedAt = now,
            CompletedAt = status is CaseTaskStatus.Done or CaseTaskStatus.Cancelled ? now : null,
        };
        session.Db.CaseTasks.Add(task);
        audit.Add(session.Db, actor, Audit.AuditEvents.CaseTaskCreated, row.OwnerOrganisationId, "case", row.Id.ToString(),
            new { task = task.Id, assignee = task.AssigneeUserId, status = task.Status.Spell() });
        await session.Db.SaveChangesAsync(cancellationToken);
        return await read.TaskAsync(actor, row.Id, task.Id, cancellationToken);
    }
}

/// <summary>
/// The case team changes a task: its content, assignee, due date and status. A status move the task's machine does
/// not allow (a cancelled task straight to done) is refused with the moves it allows.
/// </summary>
public sealed class UpdateCaseTask(SharingAccess sharing, Audit.AuditTrail audit, ReadCaseWork read, TimeProvider clock)
{
    public async Task<Result<CaseTaskDto>> HandleAsync(Actor actor, Guid caseId, Guid taskId, CaseTaskInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (await CaseWorkRules.FindAsync(session, caseId, cancellationToken) is not { } row)
        {
            return Error.NotFound("The case");
        }

        var task = await session.Db.CaseTasks.FirstOrDefaultAsync(t => t.Id == taskId && t.CaseId == caseId, cancellationToken);
        if (task is null)
        {
            return Error.NotFound("The task");
        }

        if (CaseWorkRules.RefuseWrite(actor, session, row) is { } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        var v = CaseTasks.Validate(input, row, creating: false, now);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var from = task.Status;
        if (CaseTaskStatuses.TryParse(input.Status, out var to) && to != from)
        {
            if (CaseTaskStatuses.Check(from, to) is { } invalid)
            {
                return invalid;
            }

            task.Status = to;
            task.CompletedAt = to is CaseTaskStatus.Done or CaseTaskStatus.Cancelled ? now : null;
        }

        task.Title = input.Title?.Trim() ?? task.Title;
        task.Description = input.Description is null ? task.Description : CaseWorkRules.Clean(input.Description);
        task.AssigneeUserId = input.AssigneeUserId ?? task.AssigneeUserId;
        task.DueAt = input.DueAt?.ToUniversalTime() ?? task.DueAt;
        task.UpdatedBy = actor.UserId!.Value;
        task.UpdatedByName = actor.Name;
        task.UpdatedAt = now;
        audit.Add(session.Db, actor, Audit.AuditEvents.CaseTaskUpdated, row.OwnerOrganisationId, "case", row.Id.ToString(),
            new { task = task.Id, from = from.Spell(), to = task.Status.Spell() });
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("The task changed meanwhile; read it again.");
        }

        return await read.TaskAsync(actor, row.Id, task.Id, cancellationToken);
    }
}
