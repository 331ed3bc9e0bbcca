using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Evidence;

/// <summary>
/// The receiver of a transfer acknowledges it: a <c>receive</c> entry (from the previous holder, to the receiver)
/// after re-verifying the file, and the receiver becomes the holder. Nobody else can acknowledge for them.
/// </summary>
public sealed class AcknowledgeTransfer(SharingAccess sharing, ContentStore store, AuditTrail audit, ReadEvidence read, TimeProvider clock)
{
    public async Task<Result<EvidenceDto>> HandleAsync(Actor actor, Guid evidenceId, AcknowledgeInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var item = await session.Db.EvidenceItems.FirstOrDefaultAsync(e => e.Id == evidenceId, cancellationToken);
        if (item is null)
        {
            return Error.NotFound("The evidence item");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        if (item.PendingTransferTo is not { } receiver)
        {
            return Error.Conflict("No transfer of this item awaits acknowledgement.");
        }

        if (actor.UserId != receiver)
        {
            return Error.Forbidden("Only the named receiver acknowledges a transfer.");
        }

        if (input.Notes is { Length: > EvidenceRules.MaxNotes })
        {
            return Error.Validation("notes", $"The notes are at most {EvidenceRules.MaxNotes} characters.");
        }

        var verified = await CustodyLog.ReverifyAsync(store, audit, actor, item, cancellationToken);
        if (verified.Error is { } tampered)
        {
            return tampered;
        }

        var entry = new CustodyEntry
        {
            Action = CustodyAction.Receive,
            OccurredAt = clock.GetUtcNow(),
            ActorUserId = receiver,
            ActorName = actor.Name,
            FromUserId = item.HolderId,
            ToUserId = receiver,
            SealNumber = item.CurrentSeal,
            Notes = EvidenceRules.Clean(input.Notes),
            VerifiedSha256 = verified.Value!,
        };
        item.HolderId = receiver;
        item.PendingTransferTo = null;
        item.State = EvidenceState.Held;
        await CustodyLog.AppendAsync(session.Db, item, entry, cancellationToken);
        audit.Add(session.Db, actor, AuditEvents.CustodyRecorded, item.OwnerOrganisationId, "evidence", item.Id.ToString(), new { action = entry.Action.Spell(), sequence = entry.Sequence });
        var saved = await CustodyLog.SaveAsync(session.Db, item, actor.UserId, session.LocalNode, clock, cancellationToken);
        return saved.Error is { } conflict ? conflict : await read.GetAsync(actor, item.Id, cancellationToken);
    }
}
