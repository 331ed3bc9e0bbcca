using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Evidence;

/// <summary>
/// Appending to an item's custody log and re-verifying its file, shared by every use case that records a step.
/// Appends are guarded by the item's <see cref="EvidenceItem.CustodyCount"/> (a concurrency token) and the unique
/// (item, sequence) index, so two steps recorded at once never share a number: one of them is refused.
/// </summary>
internal static class CustodyLog
{
    /// <summary>Numbers, links and hashes <paramref name="entry"/> after the item's last entry, and adds it.</summary>
    public static async Task AppendAsync(RibatDbContext db, EvidenceItem item, CustodyEntry entry, CancellationToken cancellationToken)
    {
        var previous = item.CustodyCount == 0
            ? CustodyChain.Genesis
            : await db.CustodyEntries.AsNoTracking().Where(e => e.EvidenceId == item.Id && e.Sequence == item.CustodyCount)
                .Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken) ?? CustodyChain.Genesis;
        entry.EvidenceId = item.Id;
        entry.ActorName = entry.ActorName.Length <= 256 ? entry.ActorName : entry.ActorName[..256];
        entry.Sequence = item.CustodyCount + 1;
        CustodyChain.Link(entry, previous);
        item.CustodyCount = entry.Sequence;
        db.CustodyEntries.Add(entry);
    }

    /// <summary>
    /// Re-computes the stored file's digests; a step is recorded only over a file that still matches its acquisition.
    /// A mismatch is written to the audit log at once, whatever the caller does next.
    /// </summary>
    public static async Task<Result<string>> ReverifyAsync(ContentStore store, AuditTrail audit, Actor actor, EvidenceItem item, CancellationToken cancellationToken)
    {
        var now = await store.DigestAsync(item.Sha256, cancellationToken);
        if (now is not null && now.Sha256 == item.Sha256 && now.Md5 == item.Md5 && now.Sha1 == item.Sha1 && now.Size == item.Size)
        {
            return now.Sha256;
        }

        var problem = now is null ? "the stored file is missing" : "the stored file no longer matches the hashes taken at acquisition";
        await audit.WriteAsync(actor, AuditEvents.EvidenceIntegrityFailed, item.OwnerOrganisationId, "evidence", item.Id.ToString(), new { problem }, cancellationToken);
        return Error.Conflict($"Evidence {item.Id}: {problem}; nothing was recorded. Run 'ribat evidence verify' and report it.");
    }

    /// <summary>
    /// Saves a custody step of <paramref name="item"/>; when its case has partners on other nodes, they get the case's
    /// evidence list with the item's new custody state in the same transaction.
    /// </summary>
    public static async Task<Result<bool>> SaveAsync(RibatDbContext db, EvidenceItem item, Guid? by, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (item.CaseId is not { } caseId)
        {
            return await SaveAsync(db, cancellationToken);
        }

        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await Cases.Joint.JointPublication.CaseAsync(db, caseId, by, localNode, clock, cancellationToken);
        var saved = await SaveAsync(db, cancellationToken);
        if (saved.IsSuccess && transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return saved;
    }

    public static async Task<Result<bool>> SaveAsync(RibatDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return Error.Conflict("Another custody step was recorded on this item at the same moment; read it again and retry.");
        }
    }

    public static Error? RefuseWrite(Actor actor) =>
        !Cases.CaseRoles.MayWrite(actor)
            ? Error.Forbidden("Recording evidence and custody steps needs the investigator, analyst or org-admin role.")
            : actor.RequireWrite();

    public static async Task<List<EvidenceDto>> ToDtosAsync(ContentSession session, Actor actor, List<EvidenceItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Select(i => i.Id).ToList();
        var grants = await session.GrantsAsync(ids, cancellationToken);
        var people = items.SelectMany(i => new[] { i.HolderId, i.PendingTransferTo ?? Guid.Empty }).Distinct().ToList();
        var names = await session.Db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return items.Select(i =>
        {
            var decision = session.Decide(i, grants);
            var owner = decision.Relation == Sharing.ViewerRelation.Owner;
            return new EvidenceDto(
                i.Id, i.CaseId, i.FileName, i.Description, i.Size, i.Md5, i.Sha1, i.Sha256,
                new AcquisitionDto(i.AcquiredBy, i.AcquiredByName, i.AcquiredAt, i.AcquiredWhere, i.Method, i.Tool, i.ToolVersion, i.SourceDevice, i.SealNumber, i.Notes, i.RecordedAt),
                Spell(i.State), i.HolderId, names.GetValueOrDefault(i.HolderId), i.PendingTransferTo,
                i.PendingTransferTo is { } to ? names.GetValueOrDefault(to) : null, i.CurrentSeal, i.CustodyCount,
                owner && Cases.CaseRoles.MayWrite(actor) && actor.TokenScope != TokenScope.Read,
                SharingView.From(i, decision, grants))
            {
                IncidentId = i.IncidentId,
            };
        }).ToList();
    }

    public static string Spell(EvidenceState state) => state switch
    {
        EvidenceState.InTransfer => "in-transfer",
        _ => state.ToString().ToLowerInvariant(),
    };
}
