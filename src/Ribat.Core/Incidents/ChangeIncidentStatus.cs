using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>
/// Moves an incident along its life cycle (<see cref="IncidentStatusMachine"/>); invalid moves are refused, never
/// ignored. Each move is also written to the timeline, and the containment and resolution clocks are stamped.
/// </summary>
public sealed class ChangeIncidentStatus(SharingAccess sharing, AuditTrail audit, ReadIncidents read, TimeProvider clock)
{
    public async Task<Result<IncidentDto>> HandleAsync(Actor actor, Guid id, IncidentTransitionInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await IncidentRules.FindAsync(session, id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The incident");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that leads an incident changes its status.");
        }

        if (IncidentRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (!IncidentStatusMachine.TryParse(input.To, out var to))
        {
            return Error.Validation("to", $"'{input.To}' is not an incident status ({IncidentStatusMachine.Choices}).");
        }

        var reason = input.Reason?.Trim();
        if (reason is { Length: > 2000 })
        {
            return Error.Validation("reason", "The reason is at most 2000 characters.");
        }

        var from = row.Status;
        if (IncidentStatusMachine.Check(from, to, reason, input.MergeInto) is { } invalid)
        {
            return invalid;
        }

        if (input.MergeInto is { } target)
        {
            if (target == row.Id)
            {
                return Error.Validation("mergeInto", "An incident is not merged into itself.");
            }

            var survivor = await session.Db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == target, cancellationToken);
            if (survivor is null || survivor.OwnerOrganisationId != row.OwnerOrganisationId)
            {
                return Error.Validation("mergeInto", "An incident is merged into another incident its organisation leads.");
            }

            if (!IncidentStatusMachine.IsOpen(survivor.Status))
            {
                return Error.Validation("mergeInto", $"The incident merged into is {survivor.Status.Spell()}; merge into one still being worked.");
            }
        }

        var now = clock.GetUtcNow();
        row.Status = to;
        row.StatusReason = string.IsNullOrEmpty(reason) ? null : reason;
        row.StatusChangedAt = now;
        row.MergedIntoId = input.MergeInto;
        row.UpdatedAt = now;
        if (to == IncidentStatus.Containment)
        {
            row.ContainedAt ??= now;
        }

        row.ResolvedAt = to is IncidentStatus.Closed or IncidentStatus.Rejected or IncidentStatus.Merged ? now : null;
        var entry = IncidentRules.NewEntry(row.Id, now, now, actor, row.OwnerOrganisationId, "ribat",
            $"Status: {from.Spell()} → {to.Spell()}" + (string.IsNullOrEmpty(reason) ? string.Empty : $" ({reason})"));
        session.Db.TimelineEntries.Add(entry);
        audit.Add(session.Db, actor, AuditEvents.IncidentStatusChanged, row.OwnerOrganisationId, "incident", row.Id.ToString(),
            new { from = from.Spell(), to = to.Spell(), mergeInto = input.MergeInto });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await IncidentReplication.IncidentAsync(session.Db, row, actor.UserId, session.LocalNode, clock, cancellationToken);
        await IncidentReplication.EntryAsync(session.Db, row, entry, session.LocalNode, clock, cancellationToken);
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("The incident changed status meanwhile; read it again.");
        }

        await transaction.CommitAsync(cancellationToken);

        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}
