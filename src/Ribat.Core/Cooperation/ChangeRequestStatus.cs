using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>
/// Moves a request along its life cycle (<see cref="RequestStatusMachine"/>): the requester sends, withdraws and
/// closes; the addressed organisation acknowledges, works on, answers and refuses. Sending starts the clocks and
/// makes the addressed organisation the request's named recipient; acknowledging starts a preservation's period.
/// </summary>
public sealed class ChangeRequestStatus(SharingAccess sharing, AuditTrail audit, ReadRequests read, ContentStore store, TimeProvider clock)
{
    public async Task<Result<RequestDto>> HandleAsync(Actor actor, Guid id, RequestMoveInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var found = await CooperationRules.PartyToChangeAsync(session, actor, id, "move a request", cancellationToken);
        if (found.Value is not { } request)
        {
            return found.Error!;
        }

        var (row, parties, viewer) = request;

        if (!RequestStatusMachine.TryParse(input.To, out var to))
        {
            return Error.Validation("to", $"'{input.To}' is not a request status ({RequestStatusMachine.Choices}).");
        }

        var reason = input.Reason?.Trim();
        if (reason is { Length: > 4000 })
        {
            return Error.Validation("reason", "The reason is at most 4000 characters.");
        }

        var from = row.Status;
        Error? invalid = null;
        foreach (var party in parties)
        {
            invalid = RequestStatusMachine.Check(from, to, party, reason);
            if (invalid is null)
            {
                break;
            }
        }

        if (invalid is not null)
        {
            return invalid;
        }

        var now = clock.GetUtcNow();
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        Apply(row, to, actor.UserId, now);
        if (to == RequestStatus.Sent && row.AddressedOrganisationId is { } addressed)
        {
            var owner = new OrganisationRef(row.OwnerOrganisationId, session.LocalNode);
            var recipient = new OrganisationRef(addressed, row.AddressedNode ?? session.LocalNode);
            session.Db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, CooperationRules.Terms(owner, recipient), session.LocalNode, now));
        }

        var onBehalf = row.AddresseeKind != AddresseeKind.Authority && !RequestStatusMachine.AllowedFrom(from, RequestParty.Requester).Contains(to)
            ? $"Recorded for {row.AddresseeName}."
            : null;
        var note = string.IsNullOrEmpty(reason) ? onBehalf : onBehalf is null ? reason : $"{onBehalf} {reason}";
        var step = CooperationRules.Event(row, actor, viewer.Id, RequestEventKind.Moved, now, from, to, note);
        session.Db.RequestEvents.Add(step);
        if (CooperationExchange.Crosses(row, session.LocalNode))
        {
            // The other party is on a partner node: the request (when sent) or this step travels there.
            if (to == RequestStatus.Sent)
            {
                await CooperationExchange.RequestAsync(session.Db, row, step, session.LocalNode, clock, cancellationToken);
                await SendDraftFilesAsync(session, row, cancellationToken);
            }
            else
            {
                await CooperationExchange.EventAsync(session.Db, row, step, null, null, session.LocalNode, clock, cancellationToken);
            }
        }

        var code = to switch
        {
            RequestStatus.Sent => AuditEvents.RequestSent,
            RequestStatus.Acknowledged => AuditEvents.RequestAcknowledged,
            _ => AuditEvents.RequestStatusChanged,
        };
        CooperationRules.Audit(audit, session.Db, actor, code, row, new { from = from.Spell(), to = to.Spell() });
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

    /// <summary>The files attached to the draft follow the request, each with the event that added it.</summary>
    private async Task SendDraftFilesAsync(ContentSession session, CooperationRequest row, CancellationToken cancellationToken)
    {
        var files = await session.Db.RequestAttachments.AsNoTracking().Where(a => a.RequestId == row.Id).OrderBy(a => a.AddedAt).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        var added = await session.Db.RequestEvents.AsNoTracking().Where(e => e.RequestId == row.Id && e.Kind == RequestEventKind.AttachmentAdded).ToListAsync(cancellationToken);
        foreach (var file in files)
        {
            // Each attachment was added with its event in one transaction, at the same instant, the event naming its SHA-256.
            var step = added.FirstOrDefault(e => e.At == file.AddedAt && e.Note is { } note && note.Contains(file.Sha256, StringComparison.Ordinal));
            if (step is null)
            {
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(store.PathOf(file.Sha256), cancellationToken);
            await CooperationExchange.EventAsync(session.Db, row, step, new CooperationExchange.FileContent(file, bytes), null, session.LocalNode, clock, cancellationToken);
        }
    }

    /// <summary>Moves the row and its clocks; the same for a move made here and one a partner node sent.</summary>
    internal static void Apply(CooperationRequest row, RequestStatus to, Guid? user, DateTimeOffset now)
    {
        switch (to)
        {
            case RequestStatus.Sent:
                CooperationClocks.Start(row, now);
                break;
            case RequestStatus.Acknowledged:
                CooperationClocks.Acknowledge(row, now);
                if (row.AddresseeKind == AddresseeKind.Authority)
                {
                    row.AssignedTo = user;
                }

                break;
            case RequestStatus.Answered or RequestStatus.PartiallyAnswered or RequestStatus.Refused:
                row.AnsweredAt ??= now;
                break;
            case RequestStatus.Closed or RequestStatus.Withdrawn:
                row.ClosedAt = now;
                break;
        }

        row.Status = to;
        row.UpdatedAt = now;
    }
}
