using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>
/// Extends the period a preservation keeps the data: the requester asks for it (to let its mutual-assistance request
/// arrive), or the addressed organisation records the extension it granted. Either way the end moves on and the
/// expiry clock re-arms its reminders.
/// </summary>
public sealed class ExtendPreservation(SharingAccess sharing, AuditTrail audit, ReadRequests read, TimeProvider clock)
{
    public const int MaxDays = CooperationClocks.MaximumPreservationDays;

    public async Task<Result<RequestDto>> HandleAsync(Actor actor, Guid id, ExtensionInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var found = await CooperationRules.PartyToChangeAsync(session, actor, id, "extend a preservation", cancellationToken);
        if (found.Value is not { } request)
        {
            return found.Error!;
        }

        var (row, _, viewer) = request;

        if (row.Type != RequestType.Preservation)
        {
            return Error.Conflict($"Only a preservation request is extended; this is a {row.Type.Spell()} request.");
        }

        if (row.PreservedUntil is null || !RequestStatusMachine.IsOpen(row.Status) || row.Status == RequestStatus.Refused)
        {
            return Error.Conflict($"The request is {row.Status.Spell()}; a preservation is extended once acknowledged and until it is closed.");
        }

        if (input.Days is not { } days || days < 1 || days > MaxDays)
        {
            return Error.Validation("days", $"An extension is 1 to {MaxDays} days.");
        }

        var note = input.Note?.Trim();
        if (note is { Length: > 4000 })
        {
            return Error.Validation("note", "The note is at most 4000 characters.");
        }

        var now = clock.GetUtcNow();
        var previous = row.PreservedUntil;
        var until = CooperationClocks.Extend(row, days, now);
        row.UpdatedAt = now;
        var text = $"Preserved until {until:yyyy-MM-dd HH:mm} UTC (+{days} days)." + (string.IsNullOrEmpty(note) ? string.Empty : $" {note}");
        var step = CooperationRules.Event(row, actor, viewer.Id, RequestEventKind.PreservationExtended, now, note: text);
        session.Db.RequestEvents.Add(step);
        CooperationRules.Audit(audit, session.Db, actor, AuditEvents.PreservationExtended, row, new { days, previous, until });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        if (CooperationExchange.Crosses(row, session.LocalNode))
        {
            await CooperationExchange.EventAsync(session.Db, row, step, null, days, session.LocalNode, clock, cancellationToken);
        }

        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("The request changed meanwhile; read it again.");
        }

        await transaction.CommitAsync(cancellationToken);

        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}
