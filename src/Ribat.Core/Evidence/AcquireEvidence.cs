using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Evidence;

/// <summary>
/// Acquires a file into a case: streams it into the content store (digests in the same pass), then records the
/// item, its acquisition entry and the audit row in one transaction. Until that commits nothing names the file;
/// if it fails, a file no other item names is removed again.
/// </summary>
public sealed class AcquireEvidence(SharingAccess sharing, RibatDatabase database, ContentStore store, AuditTrail audit, ReadEvidence read, TimeProvider clock)
{
    public async Task<Result<EvidenceDto>> HandleAsync(Actor actor, Guid caseId, AcquisitionInput input, Stream content, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var owning = await session.Db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (owning is null)
        {
            return Error.NotFound("The case");
        }

        if (owning.OwnerOrganisationId != session.Organisation?.Id || actor.UserId is not { } userId)
        {
            return Error.Forbidden("Only the organisation that owns a case acquires evidence into it.");
        }

        if (CustodyLog.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (owning.Status == CaseStatus.Closed)
        {
            return Error.Conflict("The case is closed; reopen it before acquiring evidence.");
        }

        var caseGrants = await session.GrantsAsync([caseId], cancellationToken);
        var caseTerms = SharedColumns.ToTerms(owning, caseGrants, session.LocalNode);
        var terms = new SharingTermsInput(Handling: input.Handling, HandlingConditions: input.HandlingConditions, Evaluation: input.Evaluation).Resolve(caseTerms.Owner, caseTerms);
        var v = EvidenceRules.Validate(input);
        foreach (var (field, messages) in terms.Error?.Fields ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                v.Add(field, message);
            }
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        var stored = await store.IngestAsync(content, cancellationToken);
        if (stored.Error is { } storeFailed)
        {
            return storeFailed;
        }

        var digests = stored.Value!;
        var now = clock.GetUtcNow();
        var item = EvidenceRules.NewItem(owning, input, digests, actor, userId, now);
        SharedColumns.Apply(item, terms.Value!, session.LocalNode);
        session.Db.EvidenceItems.Add(item);
        session.Db.ShareGrants.AddRange(SharedColumns.Grants(item.Id, terms.Value!, session.LocalNode, now));
        await CustodyLog.AppendAsync(session.Db, item, new CustodyEntry
        {
            Action = CustodyAction.Acquire,
            OccurredAt = now,
            ActorUserId = userId,
            ActorName = actor.Name,
            ToUserId = userId,
            SealNumber = item.SealNumber,
            VerifiedSha256 = digests.Sha256,
            AcquisitionDigest = CustodyChain.AcquisitionDigest(item),
        }, cancellationToken);
        audit.Add(session.Db, actor, AuditEvents.EvidenceAcquired, item.OwnerOrganisationId, "evidence", item.Id.ToString(), new { caseId, size = item.Size, sha256 = item.Sha256 });
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            await DiscardUnnamedAsync(digests.Sha256);
            throw;
        }

        return await read.GetAsync(actor, item.Id, cancellationToken);
    }

    private async Task DiscardUnnamedAsync(string sha256)
    {
        await using var db = database.Open(TenantScope.NodeWide("evidence clean-up"));
        if (!await db.EvidenceItems.IgnoreQueryFilters().AnyAsync(e => e.Sha256 == sha256, CancellationToken.None))
        {
            store.Discard(sha256);
        }
    }
}
