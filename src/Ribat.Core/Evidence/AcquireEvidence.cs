using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Evidence;

/// <summary>
/// Acquires files into a case or an incident (<see cref="EvidenceParent"/>): streams each into the content store (digests in the same pass), then records the
/// items, their acquisition entries and audit rows in one transaction. Until that commits nothing names the files;
/// if it fails, a file no other item names is removed again.
/// </summary>
public sealed class AcquireEvidence(SharingAccess sharing, RibatDatabase database, ContentStore store, AuditTrail audit, ReadEvidence read, TimeProvider clock)
{
    public Task<Result<EvidenceDto>> HandleAsync(Actor actor, Guid caseId, AcquisitionInput input, Stream content, CancellationToken cancellationToken = default) =>
        HandleAsync(actor, EvidenceParent.OfCase(caseId), input, content, cancellationToken);

    /// <summary>Acquires one file into a case or an incident.</summary>
    public async Task<Result<EvidenceDto>> HandleAsync(Actor actor, EvidenceParent parent, AcquisitionInput input, Stream content, CancellationToken cancellationToken = default)
    {
        var acquired = await HandleManyAsync(actor, parent, [(input, content)], alongside: null, cancellationToken);
        return acquired.Error is { } error ? error : acquired.Value![0];
    }

    /// <summary>
    /// Acquires every file of <paramref name="files"/> or none: one invalid input refuses them all (its field named by
    /// position when there are several), and they commit together.
    /// </summary>
    public Task<Result<IReadOnlyList<EvidenceDto>>> HandleManyAsync(Actor actor, Guid caseId, IReadOnlyList<(AcquisitionInput Input, Stream Content)> files, CancellationToken cancellationToken = default) =>
        HandleManyAsync(actor, EvidenceParent.OfCase(caseId), files, alongside: null, cancellationToken);

    /// <summary>
    /// As above, into a case or an incident; <paramref name="alongside"/> adds rows that belong with the new items (what
    /// an analysis found in the file they came from) to the same unit of work, so they commit with the items or not at all.
    /// </summary>
    internal async Task<Result<IReadOnlyList<EvidenceDto>>> HandleManyAsync(
        Actor actor,
        EvidenceParent parent,
        IReadOnlyList<(AcquisitionInput Input, Stream Content)> files,
        Func<RibatDbContext, IReadOnlyList<EvidenceItem>, CancellationToken, Task>? alongside,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var owning = await EvidenceParents.LoadAsync(session, parent, cancellationToken);
        if (owning is null)
        {
            return EvidenceParents.NotFound(parent);
        }

        if (owning.OwnerOrganisationId != session.Organisation?.Id || actor.UserId is not { } userId)
        {
            return Error.Forbidden($"Only the organisation that owns a {parent.Noun} acquires evidence into it.");
        }

        if (CustodyLog.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (owning.RefuseClosed("acquiring evidence") is { } closed)
        {
            return closed;
        }

        var parentTerms = owning.Terms;
        var v = new Validation();
        var termsOf = new List<Sharing.SharingTerms>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var input = files[i].Input;
            var prefix = files.Count == 1 ? string.Empty : $"files[{i}].";
            var terms = new SharingTermsInput(Handling: input.Handling, HandlingConditions: input.HandlingConditions, Evaluation: input.Evaluation).Resolve(parentTerms.Owner, parentTerms);
            var checkedInput = EvidenceRules.Validate(input);
            IReadOnlyDictionary<string, string[]> none = new Dictionary<string, string[]>();
            var inputErrors = checkedInput.IsValid ? none : checkedInput.ToError().Fields ?? none;
            foreach (var (field, messages) in inputErrors.Concat(terms.Error?.Fields ?? none))
            {
                foreach (var message in messages)
                {
                    v.Add(prefix + field, message);
                }
            }

            termsOf.Add(terms.Value!);
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        var stored = new List<FileDigests>(files.Count);
        try
        {
            foreach (var (_, content) in files)
            {
                var ingested = await store.IngestAsync(content, cancellationToken);
                if (ingested.Error is { } storeFailed)
                {
                    await DiscardUnnamedAsync(stored);
                    return storeFailed;
                }

                stored.Add(ingested.Value!);
            }

            var now = clock.GetUtcNow();
            var items = new List<EvidenceItem>(files.Count);
            for (var i = 0; i < files.Count; i++)
            {
                var digests = stored[i];
                var item = EvidenceRules.NewItem(parent, owning.OwnerOrganisationId, files[i].Input, digests, actor, userId, now);
                SharedColumns.Apply(item, termsOf[i], session.LocalNode);
                session.Db.EvidenceItems.Add(item);
                session.Db.ShareGrants.AddRange(SharedColumns.Grants(item.Id, termsOf[i], session.LocalNode, now));
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
                audit.Add(session.Db, actor, AuditEvents.EvidenceAcquired, item.OwnerOrganisationId, "evidence", item.Id.ToString(), parent.IsIncident
                        ? new { incidentId = parent.IncidentId, size = item.Size, sha256 = item.Sha256 }
                        : (object)new { caseId = parent.CaseId, size = item.Size, sha256 = item.Sha256 });
                items.Add(item);
            }

            if (alongside is not null)
            {
                await alongside(session.Db, items, cancellationToken);
            }

            // A case's partners on other nodes get its evidence list with the new items, in the same transaction.
            await using (var transaction = session.Db.Database.CurrentTransaction is null ? await session.Db.Database.BeginTransactionAsync(cancellationToken) : null)
            {
                if (parent.CaseId is { } caseId)
                {
                    await Cases.Joint.JointPublication.CaseAsync(session.Db, caseId, userId, session.LocalNode, clock, cancellationToken);
                }

                await session.Db.SaveChangesAsync(cancellationToken);
                if (transaction is not null)
                {
                    await transaction.CommitAsync(cancellationToken);
                }
            }

            var dtos = new List<EvidenceDto>(items.Count);
            foreach (var item in items)
            {
                var dto = await read.GetAsync(actor, item.Id, cancellationToken);
                if (dto.Error is { } unreadable)
                {
                    return unreadable;
                }

                dtos.Add(dto.Value!);
            }

            return dtos;
        }
        catch
        {
            await DiscardUnnamedAsync(stored);
            throw;
        }
    }

    private Task DiscardUnnamedAsync(IEnumerable<FileDigests> stored) => UnnamedContent.DiscardAsync(database, store, stored.Select(d => d.Sha256));
}
