using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Ribat.Core.Data;
using Ribat.Core.Indicators;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Tests;

/// <summary>
/// On SQLite the address and registered-domain indexes of indicators are tables in a sorted and a recent part (ADR 0018):
/// on a real SQLite file, every way a row comes, changes and goes keeps them equal to the rows, readers find what both
/// parts hold in one order, and the migration fills them from the rows a store already holds and gives the indexes back
/// on its way down.
/// </summary>
public sealed class KeyTablesTests : IAsyncLifetime
{
    private const string Before = "20261124130346_IndicatorRowsServeStix";
    private MigratedSqlite _sqlite = null!;

    public async Task InitializeAsync() => _sqlite = await MigratedSqlite.CreateAsync("ribat-core-keys-");

    public async Task DisposeAsync() => await _sqlite.DisposeAsync();

    private RibatDbContext Open() => _sqlite.Database.Open(TenantScope.NodeWide("test"));

    private static Indicator Row(string type, string value, string? address = null, string? domain = null, DateTimeOffset? created = null) => new()
    {
        Id = Guid.CreateVersion7(),
        OwnerOrganisationId = Guid.NewGuid(),
        Type = type,
        Value = value,
        Display = value,
        Address = address,
        RegisteredDomain = domain,
        // SQLite keeps microseconds.
        CreatedAt = new DateTimeOffset((created ?? DateTimeOffset.UtcNow).UtcTicks / 10 * 10, TimeSpan.Zero),
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>The rows' sequence numbers, by row.</summary>
    private static async Task<Dictionary<Guid, long>> NumbersAsync(RibatDbContext db) =>
        await db.Indicators.IgnoreQueryFilters().Select(i => new { i.Id, Seq = EF.Property<long>(i, KeyTables.Sequence) }).ToDictionaryAsync(i => i.Id, i => i.Seq);

    /// <summary>
    /// Both parts of one table as (part, key, indicator), the key being the address or the domain and time, and the
    /// indicator the row the entry's number names (the empty id when no row has it).
    /// </summary>
    private static async Task<List<(string Part, string Key, Guid Indicator)>> EntriesAsync(RibatDbContext db)
    {
        var rows = (await NumbersAsync(db)).ToDictionary(n => n.Value, n => n.Key);
        Guid Named(long seq) => rows.GetValueOrDefault(seq);
        var entries = new List<(string, string, Guid)>();
        foreach (var table in new[] { KeyTables.Addresses, KeyTables.RecentAddresses })
        {
            entries.AddRange((await db.Set<AddressKey>(table).AsNoTracking().ToListAsync()).Select(k => (table, k.Address, Named(k.Seq))));
        }

        foreach (var table in new[] { KeyTables.Domains, KeyTables.RecentDomains })
        {
            entries.AddRange((await db.Set<DomainKey>(table).AsNoTracking().ToListAsync()).Select(k => (table, $"{k.RegisteredDomain}@{k.CreatedAt.UtcTicks}", Named(k.Seq))));
        }

        return entries;
    }

    /// <summary>The three parts of the value index as (part, value key and duplicate key, indicator).</summary>
    private static async Task<List<(string Part, string Key, Guid Indicator)>> ValueEntriesAsync(RibatDbContext db)
    {
        var rows = (await NumbersAsync(db)).ToDictionary(n => n.Value, n => n.Key);
        var entries = new List<(string, string, Guid)>();
        foreach (var table in new[] { KeyTables.Values, KeyTables.MiddleValues, KeyTables.RecentValues })
        {
            entries.AddRange((await db.Set<ValueEntry>(table).AsNoTracking().ToListAsync()).Select(k => (table, $"{k.ValueKey}/{k.DuplicateKey}", rows.GetValueOrDefault(k.Seq))));
        }

        return entries;
    }

    /// <summary>
    /// What the parts must hold together: one entry for each row with an address or a registered domain, and one value
    /// entry for every row.
    /// </summary>
    private static async Task ShouldMatchRowsAsync(RibatDbContext db)
    {
        var rows = await db.Indicators.IgnoreQueryFilters().AsNoTracking().ToListAsync();
        var expected = rows.Where(r => r.Address is not null).Select(r => (r.Address!, r.Id))
            .Concat(rows.Where(r => r.RegisteredDomain is not null).Select(r => ($"{r.RegisteredDomain}@{r.CreatedAt.UtcTicks}", r.Id)));
        var entries = await EntriesAsync(db);
        entries.Select(e => (e.Key, e.Indicator)).Should().BeEquivalentTo(expected, "each row is in exactly one part of each table it has a key for");
        (await ValueEntriesAsync(db)).Select(e => (e.Key, e.Indicator)).Should().BeEquivalentTo(rows.Select(r => ($"{r.ValueKey}/{r.DuplicateKey}", r.Id)),
            "each row is in exactly one part of the value index");
    }

    [Fact]
    public async Task Rows_added_changed_and_removed_through_the_ORM_keep_both_parts_equal_to_the_rows()
    {
        await using var db = Open();
        var address = Row("ipv4", "192.0.2.7", address: "00000000000000000000ffffc0000207");
        var name = Row("hostname", "mail.example.org", domain: "example.org");
        var digest = Row("sha256", new string('b', 64));
        db.Indicators.AddRange(address, name, digest);
        await db.SaveChangesAsync();
        (await EntriesAsync(db)).Select(e => e.Part).Should().OnlyContain(p => p == KeyTables.RecentAddresses || p == KeyTables.RecentDomains, "new rows go to the recent parts");
        (await ValueEntriesAsync(db)).Select(e => e.Part).Should().OnlyContain(p => p == KeyTables.RecentValues);
        await ShouldMatchRowsAsync(db);

        (await KeyTables.MergeAllAsync(db, CancellationToken.None)).Should().Be(8, "an address and a domain entry to their sorted parts, three value entries through the middle part to the sorted one");
        (await EntriesAsync(db)).Select(e => e.Part).Should().BeEquivalentTo([KeyTables.Addresses, KeyTables.Domains]);
        (await ValueEntriesAsync(db)).Select(e => e.Part).Should().OnlyContain(p => p == KeyTables.Values).And.HaveCount(3);

        // A change of a key column moves the row's entry (from the sorted part, where it was, to the recent part).
        var later = name.CreatedAt.AddDays(1);
        await db.Indicators.IgnoreQueryFilters().Where(i => i.Id == name.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.CreatedAt, later).SetProperty(i => i.RegisteredDomain, "example.net"));
        await db.Indicators.IgnoreQueryFilters().Where(i => i.Id == address.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Address, (string?)null));
        await ShouldMatchRowsAsync(db);
        (await EntriesAsync(db)).Should().ContainSingle().Which.Should().Be((KeyTables.RecentDomains, $"example.net@{later.UtcTicks}", name.Id));

        // A change of other columns leaves the entries alone: one in the sorted part stays there.
        await KeyTables.MergeAllAsync(db, CancellationToken.None);
        await db.Indicators.IgnoreQueryFilters().Where(i => i.Id == name.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Comment, "seen again"));
        (await EntriesAsync(db)).Should().ContainSingle().Which.Part.Should().Be(KeyTables.Domains);

        await db.Indicators.IgnoreQueryFilters().Where(i => i.Id == name.Id).ExecuteDeleteAsync();
        (await EntriesAsync(db)).Should().BeEmpty();
        await ShouldMatchRowsAsync(db);
    }

    [Fact]
    public async Task Rows_are_numbered_in_the_order_they_are_written_whichever_way_they_come()
    {
        await using var db = Open();
        var first = Row("ipv4", "192.0.2.1", address: "00000000000000000000ffffc0000201");
        db.Indicators.Add(first);
        await db.SaveChangesAsync();

        var written = Enumerable.Range(0, 5).Select(i => Row("hostname", $"w{i}.example.org", domain: "example.org")).ToList();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await IndicatorWriter.WriteAsync(db, written, CancellationToken.None);

            // An ORM add inside a transaction that already wrote rows continues after them.
            db.Indicators.Add(Row("sha256", new string('c', 64)));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        var last = Row("domain", "example.net", domain: "example.net");
        db.Indicators.Add(last);
        await db.SaveChangesAsync();

        var numbers = await NumbersAsync(db);
        numbers.Values.Order().Should().Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L], "each writer continues from the highest number, inside its write transaction");
        numbers[first.Id].Should().Be(1);
        written.Select(r => numbers[r.Id]).Should().Equal([2L, 3L, 4L, 5L, 6L]);
        numbers[last.Id].Should().Be(8);
        await ShouldMatchRowsAsync(db);
    }

    [Fact]
    public async Task Deleting_a_report_removes_the_entries_of_the_indicators_it_takes_with_it()
    {
        await using var db = Open();
        var report = new IntelligenceReport { Id = Guid.CreateVersion7(), OwnerOrganisationId = Guid.NewGuid(), Title = "Cascade", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Reports.Add(report);
        var inside = Row("domain", "c2.example.com", domain: "example.com");
        inside.ReportId = report.Id;
        inside.OwnerOrganisationId = report.OwnerOrganisationId;
        var outside = Row("domain", "www.example.com", domain: "example.com");
        db.Indicators.AddRange(inside, outside);
        await db.SaveChangesAsync();
        await KeyTables.MergeAllAsync(db, CancellationToken.None);

        await db.Reports.IgnoreQueryFilters().Where(r => r.Id == report.Id).ExecuteDeleteAsync();

        (await db.Indicators.IgnoreQueryFilters().CountAsync()).Should().Be(1);
        (await EntriesAsync(db)).Should().ContainSingle().Which.Indicator.Should().Be(outside.Id);
    }

    [Fact]
    public async Task The_migrations_fill_the_sorted_parts_from_the_rows_and_their_way_down_gives_the_indexes_back()
    {
        await using var db = Open();
        var rows = Enumerable.Range(0, 50).Select(i => i % 2 == 0
            ? Row("ipv4", $"192.0.2.{i}", address: $"00000000000000000000ffffc00002{i:x2}")
            : Row("hostname", $"h{i}.example.org", domain: "example.org", created: DateTimeOffset.UtcNow.AddMinutes(-i))).ToList();
        db.Indicators.AddRange(rows);
        await db.SaveChangesAsync();
        var migrator = db.GetService<IMigrator>();

        await migrator.MigrateAsync(Before);
        var schema = await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE tbl_name LIKE 'indicator%' AND type IN ('table', 'index', 'trigger')").ToListAsync();
        schema.Should().Contain(["IX_indicators_Address", "IX_indicators_RegisteredDomain_CreatedAt", "IX_indicators_ValueKey_DuplicateKey"]).And.NotContain(n => n.Contains("keys", StringComparison.Ordinal));

        await migrator.MigrateAsync();
        var numbers = await NumbersAsync(db);
        numbers.Values.Should().OnlyHaveUniqueItems().And.NotContain(0, "the migration numbers every row a store holds");
        (await db.Database.SqlQueryRaw<long>("SELECT \"Seq\" AS \"Value\" FROM indicators ORDER BY rowid").ToListAsync())
            .Should().BeInAscendingOrder("rows are numbered in the order they were written").And.HaveCount(rows.Count);
        var entries = await EntriesAsync(db);
        entries.Select(e => e.Part).Should().OnlyContain(p => p == KeyTables.Addresses || p == KeyTables.Domains, "a store's rows go straight to the sorted parts");
        entries.Should().HaveCount(50);
        (await ValueEntriesAsync(db)).Select(e => e.Part).Should().OnlyContain(p => p == KeyTables.Values).And.HaveCount(50);
        await ShouldMatchRowsAsync(db);
        schema = await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'indicators'").ToListAsync();
        schema.Should().NotContain(["IX_indicators_Address", "IX_indicators_RegisteredDomain_CreatedAt", "IX_indicators_ValueKey_DuplicateKey"]);
    }

    [Fact]
    public async Task A_recent_part_moves_once_it_holds_enough_entries_and_only_when_counted()
    {
        await using var db = Open();
        db.Indicators.AddRange(Enumerable.Range(0, 40).Select(i => Row("hostname", $"n{i}.example.com", domain: "example.com")));
        db.Indicators.AddRange(Enumerable.Range(0, 10).Select(i => Row("ipv4", $"198.51.100.{i}", address: $"00000000000000000000ffffc63364{i:x2}")));
        await db.SaveChangesAsync();

        (await KeyTables.MergeIfDueAsync(db, added: 50, countEvery: 100, mergeFrom: 20, NullLogger.Instance, CancellationToken.None)).Should().Be(0, "50 rows since the last count are fewer than 100");
        (await KeyTables.MergeIfDueAsync(db, added: 50, countEvery: 100, mergeFrom: 20, NullLogger.Instance, CancellationToken.None)).Should().Be(140,
            "the domains' part holds 40 entries, the addresses' 10, and the 50 value entries pass through the middle part in the same round");
        (await ValueEntriesAsync(db)).Select(e => e.Part).Should().OnlyContain(p => p == KeyTables.Values).And.HaveCount(50);
        var parts = (await EntriesAsync(db)).GroupBy(e => e.Part).ToDictionary(g => g.Key, g => g.Count());
        parts.Should().BeEquivalentTo(new Dictionary<string, int> { [KeyTables.Domains] = 40, [KeyTables.RecentAddresses] = 10 });

        await using var transaction = await db.Database.BeginTransactionAsync();
        (await KeyTables.MergeIfDueAsync(db, added: 1000, countEvery: 100, mergeFrom: 1, NullLogger.Instance, CancellationToken.None)).Should().Be(0, "a move is a transaction of its own, never part of the caller's");
    }

    [Fact]
    public async Task Related_values_spread_over_both_parts_come_in_one_order_up_to_the_cap()
    {
        await using var db = Open();
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        // Names under one domain and addresses in one network, the older half moved to the sorted parts and the newer
        // half left in the recent parts, with times and addresses interleaved between the halves.
        List<Indicator> Batch(int half) =>
        [
            .. Enumerable.Range(0, 80).Select(i => Row("hostname", $"h{half}-{i}.example.com", domain: "example.com", created: start.AddSeconds((2 * i) + half))),
            .. Enumerable.Range(0, 70).Select(i => Row("ipv4", $"192.0.2.{(2 * i) + half}", address: $"00000000000000000000ffffc00002{(2 * i) + half:x2}", created: start.AddSeconds(i))),
        ];
        var older = Batch(0);
        var twin = Row("ipv4", "192.0.2.1", address: "00000000000000000000ffffc0000201", created: start.AddDays(1));
        db.Indicators.AddRange(older);
        await db.SaveChangesAsync();
        await KeyTables.MergeAllAsync(db, CancellationToken.None);
        // The newer half as recording writes it: past the ORM, entries with the rows.
        var newer = Batch(1);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await IndicatorWriter.WriteAsync(db, [.. newer, twin], CancellationToken.None);
            await transaction.CommitAsync();
        }

        await ShouldMatchRowsAsync(db);
        (await EntriesAsync(db)).GroupBy(e => e.Part).Should().HaveCount(4, "both parts of both tables hold entries");

        IndicatorTypes.TryCanonicalise("domain", "www.example.com", out var name, out _).Should().BeTrue();
        IndicatorTypes.TryCanonicalise("cidr", "192.0.2.0/24", out var network, out _).Should().BeTrue();
        var rows = older.Concat(newer).Append(twin).ToList();
        var names = rows.Where(r => r.RegisteredDomain is not null).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id.ToString("D").ToUpperInvariant(), StringComparer.Ordinal).Select(r => r.Id);
        var addresses = rows.Where(r => r.Address is not null).OrderBy(r => r.Address, StringComparer.Ordinal).ThenByDescending(r => r.CreatedAt).Select(r => r.Id);

        foreach (var cap in new[] { 100, 200 })
        {
            var underDomain = await CorrelationProbes.Related(db, name!, cap).Single(r => r.Relation == "same-registered-domain").Ids.ToListAsync();
            underDomain.Should().Equal(names.Take(cap + 1), "newest first across both parts, stopping one past the cap");
            var inNetwork = await CorrelationProbes.Related(db, network!, cap).Single(r => r.Relation == "contains").Ids.ToListAsync();
            inNetwork.Should().Equal(addresses.Take(cap + 1), "in address order across both parts, the newer row of one address first");
        }
    }

    [Fact]
    public async Task A_value_held_in_every_part_of_the_value_index_is_found_whole_or_told_over_the_cap()
    {
        await using var db = Open();
        IndicatorTypes.TryCanonicalise("domain", "shared.example.org", out var value, out _).Should().BeTrue();
        IndicatorTypes.TryCanonicalise("cidr", "192.0.2.0/24", out var narrow, out _).Should().BeTrue();
        IndicatorTypes.TryCanonicalise("cidr", "192.0.0.0/16", out var wide, out _).Should().BeTrue();
        IndicatorTypes.TryCanonicalise("ipv4", "192.0.2.7", out var address, out _).Should().BeTrue();
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Indicator Held(CanonicalIndicator canonical, int n)
        {
            var row = Row(canonical.Type, canonical.Value, canonical.Address, canonical.RegisteredDomain, start.AddMinutes(n));
            row.ValueKey = canonical.ValueKey;
            row.DuplicateKey = n;
            return row;
        }

        // Three holders end in the sorted part, three in the middle part, three stay in the recent part; one network in each end.
        var rows = Enumerable.Range(0, 9).Select(n => Held(value!, n)).ToList();
        var wideNetwork = Held(wide!, 20);
        var narrowNetwork = Held(narrow!, 21);
        db.Indicators.AddRange([.. rows.Take(3), wideNetwork]);
        await db.SaveChangesAsync();
        await KeyTables.MergeAllAsync(db, CancellationToken.None);
        db.Indicators.AddRange(rows.Skip(3).Take(3));
        await db.SaveChangesAsync();
        await db.Database.ExecuteSqlRawAsync($"INSERT INTO {KeyTables.MiddleValues} SELECT * FROM {KeyTables.RecentValues}; DELETE FROM {KeyTables.RecentValues}");
        db.Indicators.AddRange([.. rows.Skip(6), narrowNetwork]);
        await db.SaveChangesAsync();
        (await ValueEntriesAsync(db)).GroupBy(e => e.Part).ToDictionary(g => g.Key, g => g.Count())
            .Should().BeEquivalentTo(new Dictionary<string, int> { [KeyTables.Values] = 4, [KeyTables.MiddleValues] = 3, [KeyTables.RecentValues] = 4 });
        await ShouldMatchRowsAsync(db);

        var newestFirst = rows.OrderByDescending(r => r.CreatedAt).Select(r => r.Id).ToList();
        (await CorrelationProbes.HoldersAsync(db, value!, cap: 9, CancellationToken.None)).Select(p => p.Id).Should().Equal(newestFirst, "every part is read, and the postings come newest first");
        foreach (var cap in new[] { 2, 5, 8 })
        {
            (await CorrelationProbes.HoldersAsync(db, value!, cap, CancellationToken.None)).Count.Should().BeGreaterThan(cap, "nine postings are more than {0}", cap);
        }

        var inNetwork = await CorrelationProbes.Related(db, address!, cap: 10).Single(r => r.Relation == "in-network").Ids.ToListAsync();
        inNetwork.Should().Equal([narrowNetwork.Id, wideNetwork.Id],
            "both networks that contain the address, from whichever part holds them, newest first");
    }

    [Fact]
    public async Task A_move_the_database_refuses_leaves_the_entries_where_readers_find_them()
    {
        await using var db = Open();
        db.Indicators.AddRange(Enumerable.Range(0, 30).Select(i => Row("hostname", $"m{i}.example.net", domain: "example.net")));
        await db.SaveChangesAsync();

        // A sorted part the move cannot write to: the entries it would copy clash with one already there.
        var first = await db.Set<DomainKey>(KeyTables.RecentDomains).AsNoTracking().OrderBy(k => k.CreatedAt).ThenBy(k => k.Seq).FirstAsync();
        db.Set<DomainKey>(KeyTables.Domains).Add(new DomainKey { RegisteredDomain = first.RegisteredDomain, CreatedAt = first.CreatedAt, Seq = first.Seq });
        await db.SaveChangesAsync();
        var log = new ListLogger();

        (await KeyTables.MergeIfDueAsync(db, added: 100, countEvery: 100, mergeFrom: 20, log, CancellationToken.None)).Should().Be(0);

        log.Warnings.Should().ContainSingle().Which.Should().Contain("tried again later");
        (await db.Set<DomainKey>(KeyTables.RecentDomains).CountAsync()).Should().Be(30, "the move rolled back whole");
        (await db.Set<DomainKey>(KeyTables.Domains).CountAsync()).Should().Be(1);
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
