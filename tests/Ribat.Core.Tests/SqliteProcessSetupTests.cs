using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;
using SQLitePCL;

namespace Ribat.Core.Tests;

/// <summary>
/// SQLite's process-wide settings are made by the first SQLite store, before any connection opens: with the memory
/// statistics off, SQLite counts no bytes (its counter stays at zero while connections work), so its allocations do
/// not all take one mutex.
/// </summary>
public sealed class SqliteProcessSetupTests
{
    [Fact]
    public async Task A_store_turns_off_sqlites_shared_memory_counter()
    {
        await using var sqlite = await MigratedSqlite.CreateAsync("ribat-core-process-setup-");
        SqliteProcessSetup.Apply().Should().BeTrue("no connection was opened in this process before the first store was set up");

        await using var db = sqlite.Database.Open(TenantScope.NodeWide("test"));
        await db.Database.OpenConnectionAsync();
        await db.AuditEntries.CountAsync();
        raw.sqlite3_memory_used().Should().Be(0, "SQLite counts no bytes when its memory statistics are off, though a connection is open and has run a query");
        await db.Database.CloseConnectionAsync();
    }
}
