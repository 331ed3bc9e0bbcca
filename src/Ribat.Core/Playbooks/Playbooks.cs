using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Incidents;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Playbooks;

/// <summary>What writing a playbook and reading one have in common.</summary>
internal static class PlaybookRules
{
    public const int MaxSteps = 100;

    public static Validation Validate(PlaybookInput input, bool creating)
    {
        var v = new Validation()
            .Require(!string.IsNullOrWhiteSpace(input.Title), "title", "A playbook needs a title.")
            .Require(input.Title is null || input.Title.Trim().Length <= 300, "title", "The title is at most 300 characters.")
            .RequirePrintable(input.Title, "title")
            .Require(input.Description is null || input.Description.Length <= 20_000, "description", "The description is at most 20,000 characters.")
            .Require(input.Category is null || IncidentTaxonomy.TryParse(input.Category, out _), "category", $"'{input.Category}' is not a category of the ENISA reference taxonomy (class:type).")
            .Require(!creating || input.Steps is { Count: > 0 }, "steps", "A playbook has at least one step.")
            .Require(input.Steps is null || input.Steps.Count <= MaxSteps, "steps", $"A playbook has at most {MaxSteps} steps.");
        for (var i = 0; i < (input.Steps?.Count ?? 0); i++)
        {
            var step = input.Steps![i];
            var field = $"steps[{i}]";
            v.Require(step is not null && !string.IsNullOrWhiteSpace(step.Title) && step.Title.Trim().Length <= 300 && !step.Title.Any(char.IsControl), field, $"Step {i + 1} needs a title of 1 to 300 printable characters.")
                .Require(step is not null && PlaybookRoles.All.Contains(step.Role?.Trim().ToLowerInvariant()), field, $"Step {i + 1}'s role '{step?.Role}' is not one of: {PlaybookRoles.Choices}.")
                .Require(step?.Description is null || step.Description.Length <= 10_000, field, $"Step {i + 1}'s description is at most 10,000 characters.")
                .Require(step?.DueAfterHours is null || (step.DueAfterHours > 0 && step.DueAfterHours <= 24 * 365), field, $"Step {i + 1} is due between 0 and 8760 hours after the playbook is applied.");
        }

        return v;
    }

    public static void Apply(Playbook row, PlaybookInput input, DateTimeOffset now)
    {
        row.Title = input.Title!.Trim();
        row.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        row.Category = IncidentTaxonomy.TryParse(input.Category, out var category) ? category : null;
        if (input.Steps is { } steps)
        {
            row.Steps = steps.Select((s, i) => new PlaybookStep
            {
                PlaybookId = row.Id,
                Order = i + 1,
                Title = s.Title!.Trim(),
                Role = s.Role!.Trim().ToLowerInvariant(),
                Description = string.IsNullOrWhiteSpace(s.Description) ? null : s.Description.Trim(),
                DueAfter = s.DueAfterHours is { } h ? TimeSpan.FromHours(h) : null,
            }).ToList();
        }

        row.UpdatedAt = now;
    }

    public static async Task<List<PlaybookDto>> ToDtosAsync(ContentSession session, Actor actor, List<Playbook> rows, CancellationToken cancellationToken)
    {
        var grants = await session.GrantsAsync(rows.Select(r => r.Id).ToList(), cancellationToken);
        var names = await OrganisationNames.OfAsync(session.Db, rows.Select(r => r.OwnerOrganisationId), cancellationToken);
        return rows.Select(r =>
        {
            var decision = session.Decide(r, grants);
            return new PlaybookDto(r.Id, r.StixId, r.Title, r.Description, r.Category,
                r.Steps.OrderBy(s => s.Order).Select(s => new PlaybookStepDto(s.Order, s.Title, s.Role, s.Description, s.DueAfter?.TotalHours)).ToList(),
                r.OwnerOrganisationId, names.GetValueOrDefault(r.OwnerOrganisationId),
                decision.Relation == ViewerRelation.Owner && IncidentRoles.MayWrite(actor) && actor.TokenScope != TokenScope.Read,
                SharingView.From(r, decision, grants), r.CreatedAt, r.UpdatedAt);
        }).ToList();
    }
}

/// <summary>Response playbooks: written by an organisation, seen by others under their sharing terms.</summary>
public sealed class ReadPlaybooks(SharingAccess sharing)
{
    public async Task<Result<PlaybookDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Playbooks.Include(p => p.Steps).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return row is null ? Error.NotFound("The playbook") : (await PlaybookRules.ToDtosAsync(session, actor, [row], cancellationToken))[0];
    }

    public async Task<Result<Page<PlaybookDto>>> ListAsync(Actor actor, string? category, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(cursor, limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        var (before, take) = page.Value;
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var rows = session.Db.Playbooks.Include(p => p.Steps).AsNoTracking();
        if (!string.IsNullOrWhiteSpace(category))
        {
            var wanted = category.Trim().ToLowerInvariant();
            rows = rows.Where(p => p.Category == wanted);
        }

        if (before is { } last)
        {
            rows = rows.Where(p => p.Id.CompareTo(last) < 0);
        }

        var found = await rows.OrderByDescending(p => p.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = await PlaybookRules.ToDtosAsync(session, actor, found.Take(take).ToList(), cancellationToken);
        return new Page<PlaybookDto>(items, found.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }
}

/// <summary>Writes a new playbook owned by the actor's organisation.</summary>
public sealed class WritePlaybook(SharingAccess sharing, AuditTrail audit, ReadPlaybooks read, TimeProvider clock)
{
    public async Task<Result<PlaybookDto>> CreateAsync(Actor actor, PlaybookInput input, CancellationToken cancellationToken = default)
    {
        if (IncidentRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } owner)
        {
            return Error.Forbidden("Playbooks are written by an organisation; this actor belongs to none.");
        }

        var v = PlaybookRules.Validate(input, creating: true);
        var terms = (input.Sharing ?? new SharingTermsInput()).Resolve(owner);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (terms.Error is { } badTerms)
        {
            return badTerms;
        }

        if (await SharingGroupCheck.RequireUsableAsync(session.Db, terms.Value!, owner.Id, cancellationToken) is { } badGroup)
        {
            return badGroup;
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        var row = new Playbook { Id = id, StixId = $"x-ribat-playbook--{id}", Title = string.Empty, CreatedBy = actor.UserId, CreatedAt = now };
        PlaybookRules.Apply(row, input, now);
        SharedColumns.Apply(row, terms.Value!, session.LocalNode);
        session.Db.Playbooks.Add(row);
        session.Db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, terms.Value!, session.LocalNode, now));
        audit.Add(session.Db, actor, AuditEvents.PlaybookWritten, owner.Id, "playbook", row.Id.ToString(), new { steps = row.Steps.Count, tlp = row.Tlp.Spell() });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await PlaybookStix.WriteAsync(session.Db, row, terms.Value!, session.LocalNode, clock, cancellationToken);
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}

/// <summary>
/// Applies a playbook the actor may see to an incident it works on: each step becomes a task, in order, with the
/// step's role, due the step's time after now, assigned to the given participating organisation.
/// </summary>
public sealed class ApplyPlaybook(SharingAccess sharing, AuditTrail audit, ReadIncidentWork read, TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<IncidentTaskDto>>> HandleAsync(Actor actor, Guid incidentId, ApplyPlaybookInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var incident = await IncidentRules.FindAsync(session, incidentId, cancellationToken);
        if (incident is null)
        {
            return Error.NotFound("The incident");
        }

        if (IncidentRules.RefuseContribution(actor, session, incident) is { } refused)
        {
            return refused;
        }

        var playbook = input.PlaybookId is { } pid ? await session.Db.Playbooks.Include(p => p.Steps).AsNoTracking().FirstOrDefaultAsync(p => p.Id == pid, cancellationToken) : null;
        if (playbook is null)
        {
            return Error.Validation("playbookId", "No playbook with this id that you may see.");
        }

        var organisation = session.Organisation!.Value.Id;
        var assignee = input.AssigneeOrganisationId ?? organisation;
        var v = await IncidentWorkRules.ValidateTaskAsync(session.Db, incident, new IncidentTaskInput("x", AssigneeOrganisationId: assignee), creating: true, cancellationToken);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var now = clock.GetUtcNow();
        var tasks = playbook.Steps.OrderBy(s => s.Order).Select((step, index) =>
        {
            // A step for the lead goes to the lead; the others to the organisation the playbook is applied for.
            var to = step.Role == "lead" ? incident.OwnerOrganisationId : assignee;
            var task = AssignTask.NewTask(incident, organisation, actor,
                new IncidentTaskInput($"{step.Order}. {step.Title}", step.Description, to, DueAt: step.DueAfter is { } after ? now + after : null), step.Role, now);
            // A microsecond apart, so that the incident's tasks list them in the playbook's order.
            task.CreatedAt = task.UpdatedAt = now.AddTicks(index * 10);
            return task;
        }).ToList();
        session.Db.IncidentTasks.AddRange(tasks);
        IncidentRules.NoteAction(incident, organisation, now);
        audit.Add(session.Db, actor, AuditEvents.PlaybookApplied, organisation, "incident", incident.Id.ToString(), new { playbook = playbook.Id, tasks = tasks.Count });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var task in tasks)
        {
            await IncidentReplication.TaskAsync(session.Db, incident, task, organisation, actor.UserId, session.LocalNode, clock, cancellationToken);
        }

        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var all = await read.TasksAsync(actor, incident.Id, cancellationToken);
        var created = all.Value!.ToDictionary(t => t.Id);
        return tasks.Select(t => created[t.Id]).ToList();
    }
}
