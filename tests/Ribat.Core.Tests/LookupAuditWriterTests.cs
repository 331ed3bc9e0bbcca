using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Tests;

/// <summary>
/// The look-up writer keeps one connection between commits with SQLite's safety level lowered: on a real SQLite file,
/// that connection goes back to the pool as it was, and a commit the database refuses does not spoil the next one.
/// </summary>
public sealed class LookupAuditWriterTests : IAsyncLifetime
{
    private MigratedSqlite _sqlite = null!;

    public async Task InitializeAsync()
    {
        _sqlite = await MigratedSqlite.CreateAsync("ribat-core-lookups-");
    }

    public async Task DisposeAsync() => await _sqlite.DisposeAsync();

    private RibatDatabase Database => _sqlite.Database;

    private static Task<long> SynchronousAsync(RibatDbContext db) => PragmaAsync(db, "synchronous");

    private static async Task<long> PragmaAsync(RibatDbContext db, string pragma)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_held_connection_does_not_flush_and_goes_back_to_the_pool_flushing()
    {
        SqliteConnection.ClearAllPools();
        await using (var held = Database.Open(TenantScope.NodeWide("test")))
        {
            await held.HoldWithoutFlushAsync(CancellationToken.None);
            (await SynchronousAsync(held)).Should().Be(1, "NORMAL while held");
            (await PragmaAsync(held, "wal_autocheckpoint")).Should().Be(SqliteConnectionSetup.CheckpointPages, "its commits never copy the log back themselves");
            held.AuditEntries.Add(new AuditEntry { Event = "test", ActorName = "test", OccurredAt = DateTimeOffset.UtcNow });
            await held.SaveWithoutFlushAsync(CancellationToken.None);
            held.ChangeTracker.Entries().Should().BeEmpty("a held context forgets what it saved");
            await held.ReleaseWithoutFlushAsync();
        }

        // The pool holds that one connection: the next context gets it, and it flushes again.
        await using var next = Database.Open(TenantScope.NodeWide("test"));
        await next.Database.OpenConnectionAsync();
        (await SynchronousAsync(next)).Should().Be(2, "FULL, the level every other writer expects");
        (await PragmaAsync(next, "wal_autocheckpoint")).Should().Be(SqliteConnectionSetup.CheckpointPages);
        (await next.AuditEntries.CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task Look_ups_keep_the_log_that_readers_search_short()
    {
        await using var keeper = await KeepOpenAsync();
        using var audit = new AuditTrail(Database, TimeProvider.System);
        var actor = Actor.System("reader");
        for (var i = 0; i < 1500; i++)
        {
            await audit.WriteLookupAsync(actor, AuditEvents.IntelligenceSearched, null, "value", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await using var db = Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.CountAsync()).Should().Be(1500);

        // 1,500 commits of at least two pages each would leave a log of 3,000 frames or more; checkpointed in the
        // background every so many commits, the log starts again from its beginning and stays within about a thousand
        // frames (4 MiB), far inside the first table of its index (4,096 frames).
        const int ReadersLogFrames = 1024 + 64;
        var pageSize = await db.Database.SqlQueryRaw<long>("SELECT page_size AS \"Value\" FROM pragma_page_size").SingleAsync();
        var frame = pageSize + 24;
        new FileInfo(_sqlite.LogPath).Length.Should().BeLessThan(32 + (ReadersLogFrames * frame));
    }

    [Fact]
    public async Task A_long_log_another_writer_left_is_copied_back_and_the_log_starts_again_while_look_ups_go_on()
    {
        await using var keeper = await KeepOpenAsync();
        await using (var bulk = Database.Open(TenantScope.NodeWide("test")))
        {
            // One transaction of 6,000 pages, more than look-ups write between two checkpoints: a bulk writer's log,
            // which its own connection does not copy back (the pool's interval is 64 Ki pages).
            await bulk.Database.ExecuteSqlRawAsync(
                "CREATE TABLE bulk_pages (x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) INSERT INTO bulk_pages SELECT randomblob(3000) FROM n");
        }

        (await LogFramesAsync()).Should().BeGreaterThan(LookupAuditWriter.ShortLogFrames, "nothing copied the bulk write back yet");

        using var audit = new AuditTrail(Database, TimeProvider.System);
        var actor = Actor.System("reader");
        for (var i = 0; i < 8 * LookupAuditWriter.CommitsPerCheckpoint; i++)
        {
            await audit.WriteLookupAsync(actor, AuditEvents.IntelligenceSearched, null, "value", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        (await LogFramesAsync()).Should().BeLessThan(LookupAuditWriter.ShortLogFrames,
            "the long log was copied back, in the background once it was seen to be long, and the log started again for the look-ups' commits");
    }

    /// <summary>
    /// A connection held open, idle, for the whole test. Other test classes empty the driver's pool when they finish;
    /// had that closed the database's last connection, SQLite would have copied the log back and removed it and its
    /// index, which these tests read.
    /// </summary>
    private async Task<RibatDbContext> KeepOpenAsync()
    {
        var keeper = Database.Open(TenantScope.NodeWide("test"));
        await keeper.Database.OpenConnectionAsync();
        return keeper;
    }

    /// <summary>
    /// The frames in the log since it last started, read without copying anything back: the last valid frame, in the
    /// header of SQLite's shared-memory index of the log (<c>ribat.db-shm</c>, a 32-bit number at offset 16).
    /// </summary>
    private async Task<int> LogFramesAsync()
    {
        var header = new byte[20];
        await using var shm = new FileStream(_sqlite.LogPath[..^"-wal".Length] + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await shm.ReadExactlyAsync(header);
        return (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16));
    }

    [Fact]
    public async Task An_entry_the_database_refuses_fails_alone_and_the_writer_goes_on()
    {
        await using (var setup = Database.Open(TenantScope.NodeWide("test")))
        {
            await setup.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON audit_log WHEN NEW.TargetId = 'poison' BEGIN SELECT RAISE(ABORT, 'refused'); END");
        }

        using var audit = new AuditTrail(Database, TimeProvider.System);
        var actor = Actor.System("reader");
        await audit.WriteLookupAsync(actor, AuditEvents.IntelligenceSearched, null, "value", "before");

        // Together in one commit, the refused entry fails and the others are written one by one.
        var together = new[] { "a", "poison", "b" }.Select(t => audit.WriteLookupAsync(actor, AuditEvents.IntelligenceSearched, null, "value", t)).ToList();
        var outcome = await Task.WhenAll(together.Select(async t =>
        {
            try
            {
                await t;
                return "written";
            }
            catch (Exception)
            {
                return "refused";
            }
        }));
        outcome.Should().Equal("written", "refused", "written");

        // The writer reopens what the failure made it drop; nothing of the refused entry is left to fail again.
        await audit.WriteLookupAsync(actor, AuditEvents.IntelligenceSearched, null, "value", "after");

        await using var db = Database.Open(TenantScope.NodeWide("test"));
        (await db.AuditEntries.AsNoTracking().OrderBy(a => a.Sequence).Select(a => a.TargetId).ToListAsync())
            .Should().Equal("before", "a", "b", "after");
        (await db.AuditEntries.AsNoTracking().OrderBy(a => a.Sequence).Select(a => a.Sequence).ToListAsync())
            .Should().Equal(1, 2, 3, 4);
    }
}
