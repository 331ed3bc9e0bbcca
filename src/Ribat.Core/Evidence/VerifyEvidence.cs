using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Evidence;

/// <summary>
/// Proves each item whole: its custody chain links and hashes, its acquisition entry still matches the item's record
/// and digests, no entry was cut off the end, and the stored file still has the digests taken at acquisition. Every
/// problem names the item and, where one is at fault, the entry.
/// </summary>
public sealed class VerifyEvidence(RibatDatabase database, SharingAccess sharing, ContentStore store, AuditTrail audit)
{
    /// <summary>Every item on the node, or one case's: for the operator at the shell.</summary>
    public async Task<EvidenceVerification> RunAsync(Guid? caseId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(TenantScope.NodeWide("evidence verification"));
        var items = db.EvidenceItems.AsNoTracking();
        return await RunAsync(db, caseId is { } id ? items.Where(e => e.CaseId == id) : items, cancellationToken);
    }

    /// <summary>The items of one case, or one item, that the actor may see; the check is audited.</summary>
    public async Task<Result<EvidenceVerification>> RunAsync(Actor actor, Guid? caseId, Guid? itemId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var items = session.Db.EvidenceItems.AsNoTracking();
        if (caseId is { } c)
        {
            if (!await session.Db.Cases.AnyAsync(x => x.Id == c, cancellationToken))
            {
                return Error.NotFound("The case");
            }

            items = items.Where(e => e.CaseId == c);
        }

        if (itemId is { } i)
        {
            if (!await items.AnyAsync(e => e.Id == i, cancellationToken))
            {
                return Error.NotFound("The evidence item");
            }

            items = items.Where(e => e.Id == i);
        }

        var result = await RunAsync(session.Db, items, cancellationToken);
        await audit.WriteAsync(actor, AuditEvents.EvidenceVerified, actor.OrganisationId, itemId is null ? "case" : "evidence", (itemId ?? caseId)?.ToString(),
            new { items = result.Items, problems = result.Problems.Count }, cancellationToken);
        return result;
    }

    private async Task<EvidenceVerification> RunAsync(RibatDbContext db, IQueryable<EvidenceItem> items, CancellationToken cancellationToken)
    {
        var problems = new List<EvidenceProblem>();
        int count = 0, entries = 0;
        foreach (var item in await items.OrderBy(e => e.Id).ToListAsync(cancellationToken))
        {
            count++;
            var chain = await db.CustodyEntries.AsNoTracking().Where(e => e.EvidenceId == item.Id).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
            entries += chain.Count;
            foreach (var (entry, problem) in CheckChain(item, chain))
            {
                problems.Add(new EvidenceProblem(item.CaseId, item.Id, item.FileName, entry, problem) { IncidentId = item.IncidentId });
            }

            var digests = await store.DigestAsync(item.Sha256, cancellationToken);
            if (digests is null)
            {
                problems.Add(new EvidenceProblem(item.CaseId, item.Id, item.FileName, null, $"the stored file {item.Sha256} is missing") { IncidentId = item.IncidentId });
            }
            else if (digests.Sha256 != item.Sha256 || digests.Md5 != item.Md5 || digests.Sha1 != item.Sha1 || digests.Size != item.Size)
            {
                problems.Add(new EvidenceProblem(item.CaseId, item.Id, item.FileName, null,
                    $"the stored file was changed: its SHA-256 is now {digests.Sha256} ({digests.Size} bytes), acquired as {item.Sha256} ({item.Size} bytes)")
                { IncidentId = item.IncidentId });
            }
        }

        return new EvidenceVerification(count, entries, problems);
    }

    /// <summary>Every broken link of one item's chain, by entry.</summary>
    internal static IEnumerable<(int? Entry, string Problem)> CheckChain(EvidenceItem item, IReadOnlyList<CustodyEntry> chain)
    {
        var previous = CustodyChain.Genesis;
        var expected = 1;
        foreach (var entry in chain)
        {
            if (CustodyChain.Check(entry, expected, previous) is { } broken)
            {
                yield return (entry.Sequence, broken);
            }

            if (entry.Sequence == 1 && (entry.Action != CustodyAction.Acquire || entry.AcquisitionDigest != CustodyChain.AcquisitionDigest(item)))
            {
                yield return (1, "the acquisition record or the file's hashes were changed after acquisition (they no longer match entry 1)");
            }

            previous = entry.Hash;
            expected = entry.Sequence + 1;
        }

        if (chain.Count == 0)
        {
            yield return (1, "the custody log is empty: entry 1 (acquisition) is missing");
        }
        else if (chain[^1].Sequence != item.CustodyCount)
        {
            yield return (chain[^1].Sequence + 1, $"the custody log ends at entry {chain[^1].Sequence} but the item records {item.CustodyCount} entries: the last were removed");
        }
    }
}
