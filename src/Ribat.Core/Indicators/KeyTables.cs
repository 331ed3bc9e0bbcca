using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ribat.Core.Data;
using Ribat.Core.Data.Bulk;

namespace Ribat.Core.Indicators;

/// <summary>
/// On SQLite, the address and registered-domain indexes of <c>indicators</c> are tables of their own, each in two parts
/// (ADR 0018): a sorted part that holds nearly every entry, and a recent part that new rows add to. A batch then adds its
/// entries to a small index that stays in memory instead of changing one page of a large one for nearly every value;
/// once the recent part holds <see cref="MergeFrom"/> entries, they move to the sorted part in key order, which changes
/// each page of it at most once. Readers read both parts. PostgreSQL keeps ordinary indexes: its server writes their
/// pages back in processes of their own.
/// </summary>
/// <remarks>
/// An entry names its row by the row's sequence number (<see cref="Sequence"/>, ADR 0019), an integer that takes a few
/// bytes where the row's id takes 36: the smaller the entries, the fewer pages a batch and a move change. A new row's
/// entries are written with it, by <see cref="IndicatorWriter"/> or, for a row added through the ORM, by
/// <see cref="TrackAdded"/>: a trigger on insert cost a fifth of the whole recording rate. Triggers on <c>indicators</c>
/// take care of changes and deletions (cascades included), which are rare.
/// </remarks>
internal static class KeyTables
{
    public const string Addresses = "indicator_address_keys";
    public const string RecentAddresses = "indicator_address_keys_recent";
    public const string Domains = "indicator_domain_keys";
    public const string RecentDomains = "indicator_domain_keys_recent";

    /// <summary>
    /// How many entries a recent part holds before it moves to its sorted part. Large enough that a move changes many
    /// entries per page of a sorted part of millions, small enough that a batch's entries in the recent part stay in
    /// SQLite's page cache.
    /// </summary>
    public const int MergeFrom = 262_144;

    private static readonly BulkTable<Sequenced> RecentAddressRows = new(RecentAddresses, ["Address", Sequence], (sink, entry) =>
    {
        sink.Text(entry.Row.Address);
        sink.Int64(entry.Seq);
    });

    private static readonly BulkTable<Sequenced> RecentDomainRows = new(RecentDomains, ["RegisteredDomain", "CreatedAt", Sequence], (sink, entry) =>
    {
        sink.Text(entry.Row.RegisteredDomain);
        sink.Time(entry.Row.CreatedAt);
        sink.Int64(entry.Seq);
    });

    /// <summary>
    /// The column of <c>indicators</c> that numbers its rows on SQLite, in the order they were written, and that the key
    /// tables name a row by. It is a shadow property of the SQLite model only; each writer numbers the rows it adds
    /// inside its write transaction (<see cref="NextSequenceAsync"/>), which SQLite holds alone.
    /// </summary>
    public const string Sequence = "Seq";

    /// <summary>A row with the sequence number it is written under.</summary>
    internal readonly record struct Sequenced(Indicator Row, long Seq);

    /// <summary>
    /// The first free sequence number. Read inside the caller's write transaction: SQLite lets one writer at a time hold
    /// one (every transaction the ORM begins takes the write lock at once), so no other writer can take the same numbers.
    /// </summary>
    public static async Task<long> NextSequenceAsync(RibatDbContext db, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<long>($"SELECT coalesce(max(\"{Sequence}\"), 0) + 1 AS \"Value\" FROM indicators").SingleAsync(cancellationToken);

    /// <summary>Writes the entries of new rows, numbered from <c>rows[0].Seq</c>, to the recent parts, in the caller's transaction.</summary>
    public static async Task WriteRecentAsync(RibatDbContext db, IReadOnlyList<Sequenced> rows, CancellationToken cancellationToken)
    {
        await BulkWriter.WriteAsync(db, RecentAddressRows, rows.Where(r => r.Row.Address is not null).ToList(), cancellationToken);
        await BulkWriter.WriteAsync(db, RecentDomainRows, rows.Where(r => r.Row.RegisteredDomain is not null).ToList(), cancellationToken);
    }

    /// <summary>
    /// The indicators <paramref name="db"/> is about to insert that have no sequence number yet (SQLite's save): the
    /// caller numbers them and adds their entries (<see cref="TrackAdded"/>) inside the save's write transaction.
    /// </summary>
    /// <remarks>
    /// An indicator is added by <c>Add</c> (it has no navigation that could bring one in), so the tracker is read
    /// without detecting changes: the save that follows detects them once.
    /// </remarks>
    public static List<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<Indicator>> Unnumbered(RibatDbContext db)
    {
        var detects = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return db.ChangeTracker.Entries<Indicator>().Where(e => e.State == EntityState.Added && e.Property<long>(Sequence).CurrentValue == 0).ToList();
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detects;
        }
    }

    /// <summary>Numbers <paramref name="added"/> from <paramref name="next"/> and adds their recent entries.</summary>
    public static void TrackAdded(RibatDbContext db, IReadOnlyList<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<Indicator>> added, long next)
    {
        foreach (var entry in added)
        {
            var seq = next++;
            entry.Property<long>(Sequence).CurrentValue = seq;
            var row = entry.Entity;
            if (row.Address is { } address)
            {
                db.Set<AddressKey>(RecentAddresses).Add(new AddressKey { Address = address, Seq = seq });
            }

            if (row.RegisteredDomain is { } domain)
            {
                db.Set<DomainKey>(RecentDomains).Add(new DomainKey { RegisteredDomain = domain, CreatedAt = row.CreatedAt, Seq = seq });
            }
        }
    }

    /// <summary>
    /// On SQLite, after <paramref name="added"/> more rows, moves each recent part that holds <see cref="MergeFrom"/>
    /// entries or more to its sorted part, each move one transaction of its own. The parts are counted once every
    /// <see cref="CountEvery"/> rows this process adds, not on every call. Nothing on PostgreSQL, or inside the caller's
    /// transaction. The caller's rows are committed before: a move the database refuses is logged and rolled back, the
    /// entries stay in the recent part (where readers find them) and the move is tried again at a later count.
    /// </summary>
    /// <returns>How many entries moved.</returns>
    public static Task<int> MergeIfDueAsync(RibatDbContext db, int added, ILogger log, CancellationToken cancellationToken) =>
        MergeIfDueAsync(db, added, CountEvery, MergeFrom, log, cancellationToken);

    /// <summary><see cref="MergeIfDueAsync(RibatDbContext, int, ILogger, CancellationToken)"/> with other thresholds (tests).</summary>
    public static async Task<int> MergeIfDueAsync(RibatDbContext db, int added, int countEvery, int mergeFrom, ILogger log, CancellationToken cancellationToken)
    {
        if (db.IsPostgres || db.Database.CurrentTransaction is not null || Interlocked.Add(ref _sinceCount, added) < countEvery)
        {
            return 0;
        }

        Interlocked.Exchange(ref _sinceCount, 0);
        var moved = 0;
        try
        {
            foreach (var part in Parts)
            {
                if (await IsDueAsync(db, part.Count, mergeFrom, cancellationToken))
                {
                    moved += await MoveAsync(db, part, cancellationToken);
                }
            }
        }
        catch (DbException ex)
        {
            log.LogWarning("Moving recent address and domain entries into their sorted tables failed; they stay where they are and the move is tried again later: {Problem}", ex.Message);
        }

        return moved;
    }

    /// <summary>How many rows a process adds between two counts of the recent parts.</summary>
    public const int CountEvery = 16_384;

    private static int _sinceCount;

    /// <summary>Moves both recent parts whatever they hold (tests).</summary>
    public static async Task<int> MergeAllAsync(RibatDbContext db, CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var part in db.IsPostgres ? [] : Parts)
        {
            moved += await MoveAsync(db, part, cancellationToken);
        }

        return moved;
    }

    /// <summary>
    /// One table's recent part: a count of it that stops at the threshold (it is read at most that far), the copy of its
    /// entries into the sorted part in key order, and the statement that empties it.
    /// </summary>
    private sealed record RecentPart(string Count, string Move, string Forget);

    private static readonly RecentPart[] Parts =
    [
        new($"SELECT count(*) AS \"Value\" FROM (SELECT 1 FROM {RecentAddresses} LIMIT {{0}})",
            $"INSERT INTO {Addresses} SELECT \"Address\", \"{Sequence}\" FROM {RecentAddresses} ORDER BY \"Address\", \"{Sequence}\"",
            $"DELETE FROM {RecentAddresses}"),
        new($"SELECT count(*) AS \"Value\" FROM (SELECT 1 FROM {RecentDomains} LIMIT {{0}})",
            $"INSERT INTO {Domains} SELECT \"RegisteredDomain\", \"CreatedAt\", \"{Sequence}\" FROM {RecentDomains} ORDER BY \"RegisteredDomain\", \"CreatedAt\", \"{Sequence}\"",
            $"DELETE FROM {RecentDomains}"),
    ];

    private static async Task<bool> IsDueAsync(RibatDbContext db, string count, int mergeFrom, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<int>(count, mergeFrom).SingleAsync(cancellationToken) >= mergeFrom;

    private static async Task<int> MoveAsync(RibatDbContext db, RecentPart part, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Database.ExecuteSqlRawAsync(part.Move, cancellationToken);
        await db.Database.ExecuteSqlRawAsync(part.Forget, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return moved;
    }
}

/// <summary>An entry of the address index on SQLite (<see cref="KeyTables"/>).</summary>
internal sealed class AddressKey
{
    public required string Address { get; set; }

    /// <summary>The row's sequence number (<see cref="KeyTables.Sequence"/>).</summary>
    public long Seq { get; set; }
}

/// <summary>An entry of the registered-domain index on SQLite (<see cref="KeyTables"/>).</summary>
internal sealed class DomainKey
{
    public required string RegisteredDomain { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The row's sequence number (<see cref="KeyTables.Sequence"/>).</summary>
    public long Seq { get; set; }
}

/// <summary>
/// The SQLite model's side of <see cref="KeyTables"/>: the rows' sequence numbers, and the four tables in place of two
/// indexes of <c>indicators</c>.
/// </summary>
internal static class KeyTablesModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Indicator>().Property<long>(KeyTables.Sequence);
        builder.Entity<Indicator>().HasIndex(KeyTables.Sequence).IsUnique();
        var indicator = builder.Entity<Indicator>().Metadata;
        foreach (var replaced in indicator.GetIndexes()
            .Where(i => i.Properties[0].Name is nameof(Indicator.Address) or nameof(Indicator.RegisteredDomain)).ToList())
        {
            indicator.RemoveIndex(replaced);
        }

        foreach (var table in new[] { KeyTables.Addresses, KeyTables.RecentAddresses })
        {
            builder.SharedTypeEntity<AddressKey>(table, key =>
            {
                key.ToTable(table);
                key.HasKey(k => new { k.Address, k.Seq });
                key.Property(k => k.Address).HasMaxLength(32).IsUnicode(false);
            });
        }

        foreach (var table in new[] { KeyTables.Domains, KeyTables.RecentDomains })
        {
            builder.SharedTypeEntity<DomainKey>(table, key =>
            {
                key.ToTable(table);
                key.HasKey(k => new { k.RegisteredDomain, k.CreatedAt, k.Seq });
                key.Property(k => k.RegisteredDomain).HasMaxLength(253);
            });
        }
    }
}
