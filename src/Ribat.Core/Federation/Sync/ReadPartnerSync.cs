using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Federation.Sync;

/// <summary>A partner's sync state for its administrators: pull cursors, and creation-to-availability latency both ways.</summary>
public sealed class ReadPartnerSync(RibatDatabase database, Node.LocalNode node)
{
    /// <summary>Latency is computed over this many most recent deliveries per direction.</summary>
    public const int LatencyWindow = 10_000;

    public async Task<Result<PartnerSyncDto>> HandleAsync(Actor actor, Guid partnerId, CancellationToken cancellationToken = default)
    {
        if (PartnerRules.RefuseRead(actor) is { } refused)
        {
            return refused;
        }

        await using var db = database.Open(TenantScope.NodeWide("partner administration"));
        var partner = await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == partnerId, cancellationToken);
        if (partner is null)
        {
            return Error.NotFound("The partner");
        }

        var cursors = await db.SyncCursors.AsNoTracking().Where(c => c.PartnerId == partnerId).OrderBy(c => c.CollectionId)
            .Select(c => new SyncCursorDto(c.CollectionId, c.AddedAfter, c.UpdatedAt)).ToListAsync(cancellationToken);
        var latency = new List<DeliveryLatency>();
        foreach (var direction in Enum.GetValues<DeliveryDirection>())
        {
            var recent = await db.Deliveries.AsNoTracking()
                .Where(d => d.PartnerId == partnerId && d.Direction == direction)
                .OrderByDescending(d => d.DeliveredAt)
                .Take(LatencyWindow)
                .Select(d => new { d.CreatedAt, d.DeliveredAt })
                .ToListAsync(cancellationToken);
            var spans = recent.Select(d => Math.Max(0, (d.DeliveredAt - d.CreatedAt).TotalMilliseconds)).Order().ToList();
            latency.Add(new DeliveryLatency(direction.ToString().ToLowerInvariant(), spans.Count, Percentile(spans, 0.50), Percentile(spans, 0.99), recent.FirstOrDefault()?.DeliveredAt));
        }

        var state = await db.PartnerSyncStates.AsNoTracking().FirstOrDefaultAsync(s => s.PartnerId == partnerId, cancellationToken) ?? new PartnerSyncState { PartnerId = partnerId };
        var queued = await PushToPartner.QueuedAsync(db, partner, await node.IdAsync(cancellationToken), state.PushedThrough, cancellationToken);
        var status = new PartnerSyncStatusDto(state.RemoteCollectionId, state.LastPullAt, state.LastPushAt, state.LastError, state.LastErrorAt, state.Failures, state.NextAttemptAt, queued);
        return new PartnerSyncDto(partnerId, cursors, latency, status);
    }

    /// <summary>Nearest-rank percentile of sorted values; null for none.</summary>
    internal static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
