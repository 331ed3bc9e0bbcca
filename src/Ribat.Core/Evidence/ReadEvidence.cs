using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Evidence;

/// <summary>An opened evidence file, after its access was verified and recorded.</summary>
public sealed record EvidenceContent(string FileName, long Size, string Sha256, Stream Content);

/// <summary>
/// Reading evidence the actor may see (its organisation's, or a partner case's or incident's): items, custody logs, and the
/// file itself, whose every opening is verified and recorded as an <c>access</c> custody entry first.
/// </summary>
public sealed class ReadEvidence(SharingAccess sharing, ContentStore store, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<EvidenceDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var item = await session.Db.EvidenceItems.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        return item is null ? Error.NotFound("The evidence item") : (await CustodyLog.ToDtosAsync(session, actor, [item], cancellationToken))[0];
    }

    /// <summary>A case's items the actor may see, oldest first (acquisition order).</summary>
    public Task<Result<Page<EvidenceDto>>> ListAsync(Actor actor, Guid caseId, string? cursor, int? limit, CancellationToken cancellationToken = default) =>
        ListAsync(actor, EvidenceParent.OfCase(caseId), cursor, limit, cancellationToken);

    /// <summary>A case's or an incident's items the actor may see, oldest first (acquisition order).</summary>
    public async Task<Result<Page<EvidenceDto>>> ListAsync(Actor actor, EvidenceParent parent, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(cursor, limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        var (after, take) = page.Value;
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await EvidenceParents.VisibleAsync(session, parent, cancellationToken))
        {
            return EvidenceParents.NotFound(parent);
        }

        var rows = session.Db.EvidenceItems.AsNoTracking().Items(parent);
        if (after is { } last)
        {
            rows = rows.Where(e => e.Id.CompareTo(last) > 0);
        }

        var found = await rows.OrderBy(e => e.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = await CustodyLog.ToDtosAsync(session, actor, found.Take(take).ToList(), cancellationToken);
        return new Page<EvidenceDto>(items, found.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }

    /// <summary>The item's whole custody log, oldest first, with the names of the people the viewer may know.</summary>
    public async Task<Result<IReadOnlyList<CustodyEntryDto>>> CustodyAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.EvidenceItems.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return Error.NotFound("The evidence item");
        }

        var entries = await session.Db.CustodyEntries.AsNoTracking().Where(e => e.EvidenceId == id).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        var people = entries.SelectMany(e => new[] { e.FromUserId ?? Guid.Empty, e.ToUserId ?? Guid.Empty }).Distinct().ToList();
        var names = await session.Db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return entries.Select(e => new CustodyEntryDto(
            e.Sequence, e.Action.Spell(), e.OccurredAt, e.ActorUserId, e.ActorName,
            e.FromUserId, e.FromUserId is { } from ? names.GetValueOrDefault(from) : null,
            e.ToUserId, e.ToUserId is { } to ? names.GetValueOrDefault(to) : null,
            e.SealNumber, e.Notes, e.VerifiedSha256, e.PreviousHash, e.Hash)).ToList();
    }

    /// <summary>The active users of the actor's organisation, by name: who an item may be transferred to.</summary>
    public async Task<IReadOnlyList<Cases.CaseMemberDto>> CustodiansAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (actor.OrganisationId is not { } organisation)
        {
            return [];
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        return await session.Db.Users.AsNoTracking().Where(u => u.OrganisationId == organisation && !u.Disabled)
            .OrderBy(u => u.DisplayName).Select(u => new Cases.CaseMemberDto(u.Id, u.DisplayName)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Verifies the stored file, records the access (custody entry and audit row, one transaction), then opens it.
    /// A file that no longer matches is not served.
    /// </summary>
    public async Task<Result<EvidenceContent>> OpenAsync(Actor actor, Guid id, string? purpose, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var item = await session.Db.EvidenceItems.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (item is null)
        {
            return Error.NotFound("The evidence item");
        }

        if (actor.UserId is not { } userId)
        {
            return Error.Forbidden("Evidence is opened by a person, whose access its custody log records.");
        }

        if (purpose is { Length: > EvidenceRules.MaxText })
        {
            return Error.Validation("purpose", $"The purpose is at most {EvidenceRules.MaxText} characters.");
        }

        var verified = await CustodyLog.ReverifyAsync(store, audit, actor, item, cancellationToken);
        if (verified.Error is { } tampered)
        {
            return tampered;
        }

        var entry = new CustodyEntry
        {
            Action = CustodyAction.Access,
            OccurredAt = clock.GetUtcNow(),
            ActorUserId = userId,
            ActorName = actor.Name,
            Notes = EvidenceRules.Clean(purpose) ?? "downloaded",
            VerifiedSha256 = verified.Value!,
        };
        await CustodyLog.AppendAsync(session.Db, item, entry, cancellationToken);
        audit.Add(session.Db, actor, AuditEvents.EvidenceContentRead, item.OwnerOrganisationId, "evidence", item.Id.ToString(), new { sequence = entry.Sequence });
        var saved = await CustodyLog.SaveAsync(session.Db, cancellationToken);
        if (saved.Error is { } conflict)
        {
            return conflict;
        }

        return new EvidenceContent(item.FileName, item.Size, item.Sha256, store.OpenRead(item.Sha256));
    }
}
