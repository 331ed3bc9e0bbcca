using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ribat.Core.Data;
using Ribat.Core.Data.Bulk;

namespace Ribat.Core.Indicators;

/// <summary>
/// On SQLite, the indexes of <c>indicators</c> that new rows would write in random order are tables of their own
/// (ADR 0018, 0019): the address and registered-domain indexes in two parts, a sorted part that holds nearly every entry
/// and a recent part that new rows add to; the value index in three, a middle part between the two. A batch then adds
/// its entries to a small index that stays in memory instead of changing one page of a large one for nearly every
/// value; once a part holds enough entries, they move to the next part in key order, which changes each page of it at
/// most once. Readers read every part. PostgreSQL keeps ordinary indexes: its server writes their pages back in
/// processes of their own.
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
    public const string Values = "indicator_value_keys";
    public const string MiddleValues = "indicator_value_keys_middle";
    public const string RecentValues = "indicator_value_keys_recent";

    /// <summary>The view over the three parts of the value index, for readers that need no order across them (<see cref="HeldValue"/>).</summary>
    public const string AllValues = "indicator_value_keys_all";

    /// <summary>
    /// The value index has a part between the recent and the sorted one (every row has a value, so its recent part fills
    /// fastest): the recent part moves to the middle part from this many entries, so that a batch rewrites few pages
    /// of it, and the middle part to the sorted part once it holds an eighth of the store (<see cref="MiddleShare"/>), at
    /// least <see cref="MergeFrom"/>, so that each move rewrites the sorted part for many entries.
    /// </summary>
    public const int RecentValuesFrom = 65_536;

    /// <summary>The share of the store (its highest sequence number) the value index's middle part moves at.</summary>
    public const int MiddleShare = 8;

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

    private static readonly BulkTable<Sequenced> RecentValueRows = new(RecentValues, ["ValueKey", "DuplicateKey", Sequence], (sink, entry) =>
    {
        sink.Int64(entry.Row.ValueKey);
        sink.Int64(entry.Row.DuplicateKey);
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

    /// <summary>
    /// The rows of <paramref name="rows"/> whose value key is one of <paramref name="keys"/>, found through the value
    /// index: on SQLite its three parts (through their view, each by its primary key) and the rows by sequence number.
    /// </summary>
    public static IQueryable<Indicator> Holding(RibatDbContext db, IQueryable<Indicator> rows, IReadOnlyCollection<long> keys) => db.IsPostgres
        ? rows.Where(i => keys.Contains(i.ValueKey))
        : rows.Where(i => db.Set<HeldValue>().Where(k => keys.Contains(k.ValueKey)).Select(k => k.Seq).Contains(EF.Property<long>(i, Sequence)));

    /// <summary>Writes the entries of new rows, numbered from <c>rows[0].Seq</c>, to the recent parts, in the caller's transaction.</summary>
    public static async Task WriteRecentAsync(RibatDbContext db, IReadOnlyList<Sequenced> rows, CancellationToken cancellationToken)
    {
        await BulkWriter.WriteAsync(db, RecentAddressRows, rows.Where(r => r.Row.Address is not null).ToList(), cancellationToken);
        await BulkWriter.WriteAsync(db, RecentDomainRows, rows.Where(r => r.Row.RegisteredDomain is not null).ToList(), cancellationToken);
        await BulkWriter.WriteAsync(db, RecentValueRows, rows, cancellationToken);
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
            db.Set<ValueEntry>(RecentValues).Add(new ValueEntry { ValueKey = row.ValueKey, DuplicateKey = row.DuplicateKey, Seq = seq });
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
    /// On SQLite, after <paramref name="added"/> more rows, moves each part that holds as many entries as its threshold
    /// into the next part, in key order, each move one transaction of its own: the recent address and domain parts to
    /// their sorted parts from <see cref="MergeFrom"/> entries, the recent value part to the middle one from
    /// <see cref="RecentValuesFrom"/>, and the middle value part to the sorted one from an eighth of the store. The parts
    /// are counted once every <see cref="CountEvery"/> rows this process adds, not on every call. Nothing on
    /// PostgreSQL, or inside the caller's transaction. The caller's rows are committed before: a move the database
    /// refuses is logged and rolled back, the entries stay where readers find them and the move is tried again at a
    /// later count.
    /// </summary>
    /// <returns>How many entries moved.</returns>
    public static Task<int> MergeIfDueAsync(RibatDbContext db, int added, ILogger log, CancellationToken cancellationToken) =>
        MergeIfDueAsync(db, added, CountEvery, null, log, cancellationToken);

    /// <summary>
    /// <see cref="MergeIfDueAsync(RibatDbContext, int, ILogger, CancellationToken)"/> with other thresholds (tests):
    /// <paramref name="mergeFrom"/>, when given, is every part's.
    /// </summary>
    public static async Task<int> MergeIfDueAsync(RibatDbContext db, int added, int countEvery, int? mergeFrom, ILogger log, CancellationToken cancellationToken)
    {
        if (db.IsPostgres || db.Database.CurrentTransaction is not null || Interlocked.Add(ref _sinceCount, added) < countEvery)
        {
            return 0;
        }

        Interlocked.Exchange(ref _sinceCount, 0);
        var moved = 0;
        try
        {
            var stored = mergeFrom is null ? await NextSequenceAsync(db, cancellationToken) - 1 : 0;
            foreach (var part in Parts)
            {
                var threshold = mergeFrom ?? part.From(stored);
                if (await IsDueAsync(db, part, threshold, cancellationToken))
                {
                    moved += await MoveAsync(db, part, cancellationToken);
                }
            }
        }
        catch (DbException ex)
        {
            log.LogWarning("Moving index entries from one part of a key table into the next failed; they stay where they are and the move is tried again later: {Problem}", ex.Message);
        }

        return moved;
    }

    /// <summary>Makes the value index again from the rows, every entry in its sorted part (after the keys were computed again).</summary>
    public static async Task RefillValuesAsync(RibatDbContext db, CancellationToken cancellationToken)
    {
        foreach (var part in new[] { RecentValues, MiddleValues, Values })
        {
            var forget = $"DELETE FROM {part}";
            await db.Database.ExecuteSqlRawAsync(forget, cancellationToken);
        }

        const string Fill = $"INSERT INTO {Values} SELECT \"ValueKey\", \"DuplicateKey\", \"{Sequence}\" FROM indicators ORDER BY \"ValueKey\", \"DuplicateKey\", \"{Sequence}\"";
        await db.Database.ExecuteSqlRawAsync(Fill, cancellationToken);
    }

    /// <summary>How many rows a process adds between two counts of the recent parts.</summary>
    public const int CountEvery = 16_384;

    private static int _sinceCount;

    /// <summary>Moves every part into the next whatever it holds, so that every entry ends in a sorted part (tests).</summary>
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
    /// A part that moves into the next one: its table, the next part, the key columns (in key order), and from how many
    /// entries it moves given the store's size (its highest sequence number). The parts are listed in the order they
    /// are checked: a value entry can pass from the recent part through the middle one in one round.
    /// </summary>
    private sealed record MovingPart(string Table, string Into, string Columns, Func<long, int> From)
    {
        public string Count { get; } = $"SELECT count(*) AS \"Value\" FROM (SELECT 1 FROM {Table} LIMIT {{0}})";

        public string Move { get; } = $"INSERT INTO {Into} SELECT {Columns} FROM {Table} ORDER BY {Columns}";

        public string Forget { get; } = $"DELETE FROM {Table}";
    }

    private static readonly MovingPart[] Parts =
    [
        new(RecentAddresses, Addresses, $"\"Address\", \"{Sequence}\"", _ => MergeFrom),
        new(RecentDomains, Domains, $"\"RegisteredDomain\", \"CreatedAt\", \"{Sequence}\"", _ => MergeFrom),
        new(RecentValues, MiddleValues, $"\"ValueKey\", \"DuplicateKey\", \"{Sequence}\"", _ => RecentValuesFrom),
        new(MiddleValues, Values, $"\"ValueKey\", \"DuplicateKey\", \"{Sequence}\"", stored => (int)Math.Clamp(stored / MiddleShare, MergeFrom, int.MaxValue)),
    ];

    private static async Task<bool> IsDueAsync(RibatDbContext db, MovingPart part, int threshold, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<int>(part.Count, threshold).SingleAsync(cancellationToken) >= threshold;

    private static async Task<int> MoveAsync(RibatDbContext db, MovingPart part, CancellationToken cancellationToken)
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

/// <summary>An entry of the value index on SQLite, in one of its three parts (<see cref="KeyTables"/>).</summary>
internal sealed class ValueEntry
{
    public long ValueKey { get; set; }

    public long DuplicateKey { get; set; }

    /// <summary>The row's sequence number (<see cref="KeyTables.Sequence"/>).</summary>
    public long Seq { get; set; }
}

/// <summary>
/// An entry of the value index on SQLite, read through the view over its three parts (<see cref="KeyTables.AllValues"/>).
/// SQLite applies a reader's condition on the key to each part, through its primary key. A type apart from
/// <see cref="ValueEntry"/>: EF maps a type either as the shared type of several tables or as one entity, not both.
/// </summary>
internal sealed class HeldValue
{
    public long ValueKey { get; set; }

    public long DuplicateKey { get; set; }

    public long Seq { get; set; }
}

/// <summary>
/// The SQLite model's side of <see cref="KeyTables"/>: the rows' sequence numbers, and the tables in place of three
/// indexes of <c>indicators</c> (value, address, registered domain), with the view over the value index's parts.
/// </summary>
internal static class KeyTablesModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Indicator>().Property<long>(KeyTables.Sequence);
        builder.Entity<Indicator>().HasIndex(KeyTables.Sequence).IsUnique();
        var indicator = builder.Entity<Indicator>().Metadata;
        foreach (var replaced in indicator.GetIndexes()
            .Where(i => i.Properties[0].Name is nameof(Indicator.Address) or nameof(Indicator.RegisteredDomain) or nameof(Indicator.ValueKey)).ToList())
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

        foreach (var table in new[] { KeyTables.Values, KeyTables.MiddleValues, KeyTables.RecentValues })
        {
            builder.SharedTypeEntity<ValueEntry>(table, key =>
            {
                key.ToTable(table);
                key.HasKey(k => new { k.ValueKey, k.DuplicateKey, k.Seq });
            });
        }

        builder.Entity<HeldValue>(held =>
        {
            held.HasNoKey();
            held.ToView(KeyTables.AllValues);
        });

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
