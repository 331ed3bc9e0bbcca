using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Tenancy;
using Ribat.Stix.Model;
using Ribat.Stix.Taxii;
using Ribat.Stix.Taxii.Client;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// Pulls a partner's collection page by page from the persisted <c>added_after</c> cursor. Each page's signature is
/// checked with the partner's recorded key before anything in it is read; the page's objects, their delivery records
/// and the cursor's advance commit together, so a page is stored whole or not at all and never skipped.
/// </summary>
internal sealed class PullFromPartner(RibatDatabase database, AuditTrail audit, PartnerObjectHandlers handlers, TimeProvider clock)
{
    /// <summary>Null on success, else why the pull stopped (the cursor stays after the last stored page).</summary>
    public async Task<string?> RunAsync(TaxiiClient client, Partner partner, string collectionId, Guid localNode, int pageSize, CancellationToken cancellationToken)
    {
        var actor = Actor.System($"partner sync ({partner.Name})");
        for (var pages = 0; pages < 10_000; pages++)
        {
            var cursor = await CursorAsync(partner.Id, collectionId, cancellationToken);
            var query = new ObjectsQuery { AddedAfter = cursor, Limit = pageSize, Versions = ["all"] };
            var answer = await client.GetObjectsAsync(partner.ApiRoot, collectionId, query, cancellationToken);
            if (answer.Failure is { } failure)
            {
                return $"pull from {partner.ApiRoot} failed: {failure.Message}";
            }

            var response = answer.Value!;
            var check = PartnerExchange.Verify(partner.PublicKeyPem, response.Body, response.Signature);
            if (!check.IsValid)
            {
                await audit.WriteAsync(actor, AuditEvents.PartnerPayloadRefused, null, "partner", partner.Id.ToString(), new { direction = "pull", reason = check.Message }, cancellationToken);
                return $"pulled page refused, {SignatureText.Describe(check)}";
            }

            if (response.Resource.Objects is not { Count: > 0 } objects || response.DateAddedLast is not { } last)
            {
                await TouchAsync(partner.Id, cancellationToken);
                return null;
            }

            await StoreAsync(partner, collectionId, objects, last, localNode, actor, cancellationToken);
            if (response.Resource.More != true)
            {
                return null;
            }
        }

        return null;
    }

    private async Task StoreAsync(Partner partner, string collectionId, IReadOnlyList<System.Text.Json.JsonElement> objects, StixTimestamp last, Guid localNode, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = database.Open(TenantScope.NodeWide("partner sync"));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outcome = await PartnerIngress.StoreAsync(db, partner, objects, localNode, handlers, clock, cancellationToken);
        await AdvanceSyncCursor.AdvanceInAsync(db, partner.Id, collectionId, last, clock.GetUtcNow(), cancellationToken);
        var state = await SyncStates.GetOrAddAsync(db, partner.Id, cancellationToken);
        state.LastPullAt = clock.GetUtcNow();
        var refused = outcome.Refused.ToList();
        if (outcome.Added > 0 || refused.Count > 0)
        {
            audit.Add(db, actor, AuditEvents.PartnerPulled, null, "partner", partner.Id.ToString(), new
            {
                collection = collectionId,
                objects = objects.Count,
                added = outcome.Added,
                alreadyHeld = outcome.AlreadyHeld,
                refused = refused.Count,
                firstRefusal = refused.Select(r => $"{r.StixId}: {r.Reason}").FirstOrDefault(),
                cursor = last.ToString(),
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<StixTimestamp?> CursorAsync(Guid partnerId, string collectionId, CancellationToken cancellationToken)
    {
        await using var db = database.Open(TenantScope.NodeWide("partner sync"));
        var stored = await db.SyncCursors.AsNoTracking().Where(c => c.PartnerId == partnerId && c.CollectionId == collectionId).Select(c => c.AddedAfter).FirstOrDefaultAsync(cancellationToken);
        return stored is not null && StixTimestamp.TryParse(stored, out var value, out _) ? value : null;
    }

    private async Task TouchAsync(Guid partnerId, CancellationToken cancellationToken)
    {
        await using var db = database.Open(TenantScope.NodeWide("partner sync"));
        var state = await SyncStates.GetOrAddAsync(db, partnerId, cancellationToken);
        state.LastPullAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>The sync state row of a partner, created on first use.</summary>
internal static class SyncStates
{
    public static async Task<PartnerSyncState> GetOrAddAsync(RibatDbContext db, Guid partnerId, CancellationToken cancellationToken)
    {
        var state = await db.PartnerSyncStates.FirstOrDefaultAsync(s => s.PartnerId == partnerId, cancellationToken);
        if (state is null)
        {
            state = new PartnerSyncState { PartnerId = partnerId };
            db.PartnerSyncStates.Add(state);
        }

        return state;
    }
}
