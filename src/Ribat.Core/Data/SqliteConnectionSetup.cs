using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Ribat.Core.Data;

/// <summary>
/// Per-connection SQLite settings, applied once to each physical connection the pool creates (EF opens and closes
/// a pooled connection around every query, so applying them on every open would cost a statement per query).
/// <para>
/// The page cache: SQLite's default is 2 MiB per connection, far below the working set of an indicator store of a
/// few million rows, so recording a batch re-read the same index pages from the operating system and spilled dirty
/// pages to the log before commit. 64 MiB is a cap, allocated only as pages are used.
/// </para>
/// <para>The checkpoint interval: see <see cref="CheckpointPages"/>.</para>
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public const int CacheKibibytes = 64 * 1024;

    /// <summary>
    /// How long the write-ahead log grows before a commit copies it back into the database (SQLite's default is 1,000
    /// pages). A batch of indicators changes pages all over the value indexes; at the default every batch's commit
    /// copied its pages back at once, and the next batch changed most of the same pages again. Letting 256 MiB of log
    /// build up first copies each such page once for several batches.
    /// </summary>
    /// <remarks>
    /// Readers pay for a long log: every page a reader fetches is first looked for in the log's index, one hash table
    /// per 4,096 frames written since the last checkpoint, so with 64 Ki frames each fetch searches sixteen. The commits
    /// that follow a reader everywhere are small (a look-up's audit entry), so the look-up audit writer has the log
    /// copied back every <see cref="Audit.LookupAuditWriter.CommitsPerCheckpoint"/> commits (in the background when an
    /// import left it long): it stays within one table while the node is being read.
    /// </remarks>
    public const int CheckpointPages = 64 * 1024;

    /// <summary>
    /// Reads of the database file go through a memory map of up to this size (SQLite's own ceiling, just under
    /// 2 GiB) instead of a system call and a copy per page: a look-up that checks the sharing terms of a thousand
    /// postings on a store larger than the page cache reads a thousand pages. The map is the operating system's
    /// file cache, not memory of Ribat's own.
    /// </summary>
    public const long MapBytes = 0x7FFF0000;

    /// <summary>
    /// How long a writer waits for SQLite's single write lock, inside SQLite, before it is told the database is busy.
    /// Without it the driver sees "busy" at once and sleeps 150 ms before it tries again, so every collision of two
    /// writers (a page read's audit entry and a change, say) cost a reader 150 ms; SQLite's own wait polls in steps
    /// of a few milliseconds and takes the lock soon after it is released. Equal to the connection's command timeout.
    /// </summary>
    public const int BusyMilliseconds = 30_000;

    private static readonly ConditionalWeakTable<sqlite3, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Configure(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Configure(connection);
        return Task.CompletedTask;
    }

    private static void Configure(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || Configured.TryGetValue(handle, out _))
        {
            return;
        }

        using var command = sqlite.CreateCommand();
        command.CommandText = $"PRAGMA cache_size = -{CacheKibibytes}; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = {CheckpointPages};" +
            $" PRAGMA mmap_size = {MapBytes}; PRAGMA busy_timeout = {BusyMilliseconds};";
        command.ExecuteNonQuery();
        Configured.AddOrUpdate(handle, handle);
    }
}
