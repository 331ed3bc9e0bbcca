using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;
using Ribat.Stix.Model;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// Moves a partner collection's pull cursor to the last page's <c>X-TAXII-Date-Added-Last</c>, once that page is
/// stored. It only ever moves forward, so a late or repeated call cannot make the next pull skip objects.
/// </summary>
public sealed class AdvanceSyncCursor(RibatDatabase database, TimeProvider clock)
{
    /// <summary>The cursor to send as <c>added_after</c>, or null before the first pull of that collection.</summary>
    public async Task<StixTimestamp?> CurrentAsync(Guid partnerId, string collectionId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Open(TenantScope.NodeWide("partner sync"));
        var stored = await db.SyncCursors.AsNoTracking()
            .Where(c => c.PartnerId == partnerId && c.CollectionId == collectionId)
            .Select(c => c.AddedAfter)
            .FirstOrDefaultAsync(cancellationToken);
        return stored is not null && StixTimestamp.TryParse(stored, out var value, out _) ? value : null;
    }

    /// <summary>
    /// Moves the cursor forward inside the caller's transaction, beside the page it stored; the caller saves. An older
    /// <paramref name="dateAddedLast"/> changes nothing.
    /// </summary>
    internal static async Task AdvanceInAsync(RibatDbContext db, Guid partnerId, string collectionId, StixTimestamp dateAddedLast, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cursor = await db.SyncCursors.FirstOrDefaultAsync(c => c.PartnerId == partnerId && c.CollectionId == collectionId, cancellationToken);
        if (cursor is null)
        {
            db.SyncCursors.Add(new SyncCursor { PartnerId = partnerId, CollectionId = collectionId, AddedAfter = dateAddedLast.ToString(), UpdatedAt = now });
        }
        else if (!StixTimestamp.TryParse(cursor.AddedAfter, out var current, out _) || current < dateAddedLast)
        {
            cursor.AddedAfter = dateAddedLast.ToString();
            cursor.UpdatedAt = now;
        }
    }

    public async Task<Result<StixTimestamp>> HandleAsync(Guid partnerId, string collectionId, StixTimestamp dateAddedLast, CancellationToken cancellationToken = default)
    {
        var v = new Validation();
        v.Require(!string.IsNullOrWhiteSpace(collectionId) && collectionId.Length <= SyncModel.MaxCollectionId, "collectionId", $"collectionId is required (at most {SyncModel.MaxCollectionId} characters).");
        v.RequirePrintable(collectionId, "collectionId");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var db = database.Open(TenantScope.NodeWide("partner sync"));
        if (!await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            return Error.NotFound("The partner");
        }

        var cursor = await db.SyncCursors.FirstOrDefaultAsync(c => c.PartnerId == partnerId && c.CollectionId == collectionId, cancellationToken);
        var now = clock.GetUtcNow();
        if (cursor is null)
        {
            db.SyncCursors.Add(new SyncCursor { PartnerId = partnerId, CollectionId = collectionId, AddedAfter = dateAddedLast.ToString(), UpdatedAt = now });
        }
        else if (StixTimestamp.TryParse(cursor.AddedAfter, out var current, out _) && current >= dateAddedLast)
        {
            return current;
        }
        else
        {
            cursor.AddedAfter = dateAddedLast.ToString();
            cursor.UpdatedAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another worker created the cursor first; the next call compares with it.
            return Error.Conflict("The cursor changed meanwhile; read it again.");
        }

        return dateAddedLast;
    }
}
