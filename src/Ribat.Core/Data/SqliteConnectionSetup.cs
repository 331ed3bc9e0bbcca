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
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public const int CacheKibibytes = 64 * 1024;

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
        command.CommandText = $"PRAGMA cache_size = -{CacheKibibytes}; PRAGMA temp_store = MEMORY;";
        command.ExecuteNonQuery();
        Configured.AddOrUpdate(handle, handle);
    }
}
