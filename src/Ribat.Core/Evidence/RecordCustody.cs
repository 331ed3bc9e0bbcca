using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Evidence;

/// <summary>
/// Records a custody step by hand: seal, transfer, access, copy, analyse, export, return or dispose. Seal, transfer,
/// return and dispose are the holder's (or an organisation administrator's); a transfer waits for the receiver's
/// acknowledgement (<see cref="AcknowledgeTransfer"/>) and blocks those four until then. After return or dispose only
/// reads are recorded. Every step re-verifies the stored file first.
/// </summary>
public sealed class RecordCustody(SharingAccess sharing, ContentStore store, AuditTrail audit, ReadEvidence read, TimeProvider clock)
{
    private static readonly CustodyAction[] HolderOnly = [CustodyAction.Seal, CustodyAction.Transfer, CustodyAction.Return, CustodyAction.Dispose];

    public async Task<Result<EvidenceDto>> HandleAsync(Actor actor, Guid evidenceId, CustodyInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var item = await session.Db.EvidenceItems.FirstOrDefaultAsync(e => e.Id == evidenceId, cancellationToken);
        if (item is null)
        {
            return Error.NotFound("The evidence item");
        }

        if (item.OwnerOrganisationId != session.Organisation?.Id || actor.UserId is not { } userId)
        {
            return Error.Forbidden("Only the organisation that owns the evidence records its custody.");
        }

        if (CustodyLog.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        var checkedInput = await CheckAsync(session, item, input, actor, userId, cancellationToken);
        if (checkedInput.Error is { } invalid)
        {
            return invalid;
        }

        var action = checkedInput.Value;
        var verified = await CustodyLog.ReverifyAsync(store, audit, actor, item, cancellationToken);
        if (verified.Error is { } tampered)
        {
            return tampered;
        }

        var seal = EvidenceRules.Clean(input.SealNumber);
        var entry = new CustodyEntry
        {
            Action = action,
            OccurredAt = clock.GetUtcNow(),
            ActorUserId = userId,
            ActorName = actor.Name,
            FromUserId = action is CustodyAction.Transfer or CustodyAction.Return or CustodyAction.Dispose ? item.HolderId : null,
            ToUserId = action == CustodyAction.Transfer ? input.ToUserId : null,
            SealNumber = seal,
            Notes = EvidenceRules.Clean(input.Notes),
            VerifiedSha256 = verified.Value!,
        };
        switch (action)
        {
            case CustodyAction.Seal:
                item.CurrentSeal = seal;
                break;
            case CustodyAction.Transfer:
                item.PendingTransferTo = input.ToUserId;
                item.State = EvidenceState.InTransfer;
                break;
            case CustodyAction.Return:
                item.State = EvidenceState.Returned;
                break;
            case CustodyAction.Dispose:
                item.State = EvidenceState.Disposed;
                break;
        }

        await CustodyLog.AppendAsync(session.Db, item, entry, cancellationToken);
        audit.Add(session.Db, actor, AuditEvents.CustodyRecorded, item.OwnerOrganisationId, "evidence", item.Id.ToString(), new { action = action.Spell(), sequence = entry.Sequence });
        var saved = await CustodyLog.SaveAsync(session.Db, item, actor.UserId, session.LocalNode, clock, cancellationToken);
        return saved.Error is { } conflict ? conflict : await read.GetAsync(actor, item.Id, cancellationToken);
    }

    private static async Task<Result<CustodyAction>> CheckAsync(ContentSession session, EvidenceItem item, CustodyInput input, Actor actor, Guid userId, CancellationToken cancellationToken)
    {
        if (!CustodyActions.TryParse(input.Action, out var action))
        {
            return Error.Validation("action", $"'{input.Action}' is not a custody step (seal, transfer, access, copy, analyse, export, return, dispose).");
        }

        if (action is CustodyAction.Acquire or CustodyAction.Receive)
        {
            return Error.Validation("action", action == CustodyAction.Acquire
                ? "Acquisition is recorded when the file is uploaded."
                : "A transfer is received by its receiver's acknowledgement (POST …/custody/acknowledge).");
        }

        var v = new Validation()
            .Require(input.Notes is null || input.Notes.Length <= EvidenceRules.MaxNotes, "notes", $"The notes are at most {EvidenceRules.MaxNotes} characters.")
            .Require(input.SealNumber is null || input.SealNumber.Trim().Length <= EvidenceRules.MaxText, "sealNumber", $"The seal number is at most {EvidenceRules.MaxText} characters.")
            .RequirePrintable(input.SealNumber, "sealNumber")
            .Require(action != CustodyAction.Seal || !string.IsNullOrWhiteSpace(input.SealNumber), "sealNumber", "A seal step records the seal's number.")
            .Require(action != CustodyAction.Transfer || input.ToUserId is not null, "toUserId", "A transfer names its receiver.")
            .Require(action is not (CustodyAction.Return or CustodyAction.Dispose) || !string.IsNullOrWhiteSpace(input.Notes), "notes",
                "Say to whom the item was returned, or how it was disposed of.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (item.State is EvidenceState.Returned or EvidenceState.Disposed && action != CustodyAction.Access)
        {
            return Error.Conflict($"The item was {CustodyLog.Spell(item.State)}; only access is recorded after that.");
        }

        if (HolderOnly.Contains(action))
        {
            if (item.PendingTransferTo is not null)
            {
                return Error.Conflict("A transfer of this item awaits the receiver's acknowledgement.");
            }

            if (item.HolderId != userId && !actor.IsOrgAdmin)
            {
                return Error.Forbidden($"Only the item's holder (or an organisation administrator) records a {action.Spell()}.");
            }
        }

        if (action == CustodyAction.Transfer)
        {
            var to = input.ToUserId!.Value;
            if (to == item.HolderId)
            {
                return Error.Validation("toUserId", "The receiver already holds the item.");
            }

            if (!await session.Db.Users.AnyAsync(u => u.Id == to && u.OrganisationId == item.OwnerOrganisationId && !u.Disabled, cancellationToken))
            {
                return Error.Validation("toUserId", $"User {to} is not an active user of the organisation holding the evidence.");
            }
        }

        return action;
    }
}
