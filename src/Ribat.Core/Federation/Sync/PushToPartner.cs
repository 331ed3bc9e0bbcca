using System.Buffers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Tenancy;
using Ribat.Stix.Taxii;
using Ribat.Stix.Taxii.Client;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// Pushes local versions added since the push cursor to the partner's collection: each through the partner's egress
/// (the sharing policy for the partner node and its egress rules), versions already delivered left out, the envelope
/// signed by the client. The cursor and the delivery records move only after the partner answered, in one transaction,
/// so an offline partner gets everything once it is back, and a retried envelope is harmless (the receiver skips
/// versions it holds).
/// </summary>
internal sealed class PushToPartner(RibatDatabase database, AuditTrail audit, TimeProvider clock)
{
    private static readonly JsonWriterOptions Writer = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Null on success (including a partner that refused some objects, which is noted), else why the push stopped.</summary>
    public async Task<(string? Failure, string? Note)> RunAsync(TaxiiClient client, Partner partner, string collectionId, Guid localNode, int pageSize, CancellationToken cancellationToken)
    {
        var actor = Actor.System($"partner sync ({partner.Name})");
        string? note = null;
        for (var rounds = 0; rounds < 10_000; rounds++)
        {
            await using var db = database.Open(TenantScope.NodeWide("partner sync"));
            var state = await SyncStates.GetOrAddAsync(db, partner.Id, cancellationToken);
            var egress = await PartnerEgress.ForAsync(db, partner, localNode, cancellationToken);
            var (batch, more) = await StoredVersions.PageAsync(db, egress.Scope(db), new StixObjectQuery(state.PushedThrough, pageSize, null, null, VersionMatch.Every, null),
                localNode, withJson: false, cancellationToken);
            if (batch.Count == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
                return (null, note);
            }

            var eligible = await egress.EligibleAsync(db, batch, cancellationToken);
            eligible = await egress.OutgoingAsync(db, await NotYetDeliveredAsync(db, partner.Id, eligible, cancellationToken), cancellationToken);
            var now = clock.GetUtcNow();
            if (eligible.Count > 0)
            {
                var posted = await client.PostObjectsAsync(partner.ApiRoot, collectionId, Envelope(eligible.Select(r => r.Json).ToList()), cancellationToken);
                if (posted.Failure is { } failure)
                {
                    return ($"push to {partner.ApiRoot} failed: {failure.Message}", note);
                }

                now = clock.GetUtcNow();
                var status = posted.Value!;
                var refused = (status.Failures ?? []).Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
                if (refused.Count > 0)
                {
                    var first = status.Failures![0];
                    note = $"the partner refused {refused.Count} object(s), e.g. {first.Id}: {first.Message}";
                }

                var delivered = eligible.Where(r => !refused.Contains(r.StixId)).ToList();
                db.Deliveries.AddRange(delivered.Select(r => new Delivery
                {
                    Id = Guid.CreateVersion7(),
                    PartnerId = partner.Id,
                    Direction = DeliveryDirection.Outbound,
                    StixId = r.StixId,
                    Modified = r.Version,
                    CreatedAt = r.VersionAt == default ? r.DateAdded : r.VersionAt,
                    DeliveredAt = now,
                }));
                audit.Add(db, actor, AuditEvents.PartnerPushed, null, "partner", partner.Id.ToString(), new
                {
                    collection = collectionId,
                    objects = eligible.Count,
                    refused = refused.Count,
                    status = status.Id,
                    first = eligible[0].DateAdded,
                    last = eligible[^1].DateAdded,
                });
                state.LastPushAt = now;
            }

            state.PushedThrough = batch[^1].DateAdded;
            await db.SaveChangesAsync(cancellationToken);
            if (!more)
            {
                return (null, note);
            }
        }

        return (null, note);
    }

    /// <summary>Local versions that may still go to the partner later: added after the push cursor, before the policy is asked.</summary>
    internal static async Task<int> QueuedAsync(RibatDbContext db, Partner partner, Guid localNode, DateTimeOffset? pushedThrough, CancellationToken cancellationToken)
    {
        var egress = await PartnerEgress.ForAsync(db, partner, localNode, cancellationToken);
        return (int)await StoredVersions.CountAsync(egress.Scope(db), types: null, pushedThrough, cancellationToken);
    }

    private static async Task<List<StixObjectRecord>> NotYetDeliveredAsync(RibatDbContext db, Guid partnerId, List<StixObjectRecord> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return rows;
        }

        var ids = rows.Select(r => r.StixId).Distinct().ToList();
        var sent = new HashSet<(string, string)>();
        foreach (var slice in ids.Chunk(500))
        {
            var found = await db.Deliveries.AsNoTracking()
                .Where(d => d.PartnerId == partnerId && d.Direction == DeliveryDirection.Outbound && slice.Contains(d.StixId))
                .Select(d => new { d.StixId, d.Modified })
                .ToListAsync(cancellationToken);
            sent.UnionWith(found.Select(f => (f.StixId, f.Modified)));
        }

        return rows.Where(r => !sent.Contains((r.StixId, r.Version))).DistinctBy(r => (r.StixId, r.Version)).ToList();
    }

    /// <summary>The envelope written from the objects' JSON as it is, so objects leave exactly as they were written or received.</summary>
    internal static byte[] Envelope(IReadOnlyList<string> objects)
    {
        var buffer = new ArrayBufferWriter<byte>(objects.Sum(o => o.Length) + 64);
        using (var writer = new Utf8JsonWriter(buffer, Writer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("objects");
            foreach (var json in objects)
            {
                writer.WriteRawValue(json, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
