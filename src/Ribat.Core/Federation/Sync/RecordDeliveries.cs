using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// Records object versions delivered to or received from a partner. Idempotent by (partner, direction, STIX id,
/// <c>modified</c>): a version already recorded keeps its first delivery time, so a retried push or a re-pulled
/// page neither duplicates it nor changes its latency.
/// </summary>
public sealed class RecordDeliveries(RibatDatabase database)
{
    public const int MaxBatch = 1000;

    /// <summary>How many of <paramref name="objects"/> were new.</summary>
    public async Task<Result<int>> HandleAsync(Guid partnerId, DeliveryDirection direction, IReadOnlyList<DeliveredObject> objects, DateTimeOffset deliveredAt, CancellationToken cancellationToken = default)
    {
        var v = new Validation();
        v.Require(objects.Count <= MaxBatch, "objects", $"at most {MaxBatch} objects per call.");
        foreach (var (item, i) in objects.Select((o, i) => (o, i)))
        {
            v.Require(item.StixId is { Length: > 0 and <= SyncModel.MaxStixId } && StixIdentifier.TrySplit(item.StixId, out _, out _), $"objects[{i}].stixId", $"'{item.StixId}' is not a STIX id (type--UUID).");
            v.Require(StixTimestamp.TryParse(item.Modified ?? string.Empty, out _, out _) && item.Modified!.Length <= SyncModel.MaxTimestamp, $"objects[{i}].modified", $"'{item.Modified}' is not a STIX timestamp.");
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        var batch = objects.DistinctBy(o => (o.StixId, o.Modified)).ToList();
        if (batch.Count == 0)
        {
            return 0;
        }

        await using var db = database.Open(TenantScope.NodeWide("partner sync"));
        if (!await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            return Error.NotFound("The partner");
        }

        var ids = batch.Select(o => o.StixId).Distinct().ToList();
        var known = (await db.Deliveries.AsNoTracking()
                .Where(d => d.PartnerId == partnerId && d.Direction == direction && ids.Contains(d.StixId))
                .Select(d => new { d.StixId, d.Modified })
                .ToListAsync(cancellationToken))
            .Select(d => (d.StixId, d.Modified))
            .ToHashSet();
        var fresh = batch.Where(o => !known.Contains((o.StixId, o.Modified))).ToList();
        db.Deliveries.AddRange(fresh.Select(o => new Delivery
        {
            Id = Guid.CreateVersion7(),
            PartnerId = partnerId,
            Direction = direction,
            StixId = o.StixId,
            Modified = o.Modified,
            CreatedAt = o.CreatedAt,
            DeliveredAt = deliveredAt,
        }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent sync recorded some of them first: theirs stand, and the caller may retry the rest.
            return Error.Conflict("Some of these deliveries were recorded concurrently; record the batch again.");
        }

        return fresh.Count;
    }

    /// <summary>Whether this version already crossed in this direction: the sync worker's "already sent" test.</summary>
    public async Task<bool> IsRecordedAsync(Guid partnerId, DeliveryDirection direction, string stixId, string modified, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(TenantScope.NodeWide("partner sync"));
        return await db.Deliveries.AnyAsync(d => d.PartnerId == partnerId && d.Direction == direction && d.StixId == stixId && d.Modified == modified, cancellationToken);
    }
}
