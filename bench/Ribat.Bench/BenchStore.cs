using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ribat.Core;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;
using Ribat.Testing;

namespace Ribat.Bench;

/// <summary>
/// A fresh store for one run: a new SQLite file in its own directory, or a new database on the PostgreSQL server
/// named by the connection string. Both are migrated with the product's own migrations and removed afterwards
/// unless the run asks to keep them.
/// </summary>
internal sealed class BenchStore : IAsyncDisposable
{
    private readonly bool _keep;
    private readonly string? _directory;
    private readonly string? _serverConnection;
    private readonly string? _databaseName;

    private BenchStore(ServiceProvider services, DatabaseOptions options, bool keep, string? directory, string? serverConnection, string? databaseName)
    {
        Services = services;
        Options = options;
        _keep = keep;
        _directory = directory;
        _serverConnection = serverConnection;
        _databaseName = databaseName;
    }

    public ServiceProvider Services { get; }

    public DatabaseOptions Options { get; }

    public bool IsPostgres => Options.Provider == DatabaseProvider.Postgres;

    public string Provider => IsPostgres ? "postgres" : "sqlite";

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static async Task<BenchStore> CreateAsync(string provider, string? database, string? dataRoot, bool keep, CancellationToken cancellationToken)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        DatabaseOptions options;
        string? directory = null, databaseName = null;
        if (provider == "postgres")
        {
            var server = database ?? throw new ArgumentException("--database names the PostgreSQL server (Host=…;Port=…;Username=…;Database=postgres).");
            databaseName = $"ribat_bench_{stamp.ToLowerInvariant()}_{Environment.ProcessId}";
            options = new DatabaseOptions(DatabaseProvider.Postgres, await ScratchDatabase.CreateAsync(server, databaseName, cancellationToken));
        }
        else
        {
            directory = Path.Combine(dataRoot ?? Path.GetTempPath(), $"ribat-bench-{stamp}-{Environment.ProcessId}");
            Directory.CreateDirectory(directory);
            options = DatabaseOptions.Resolve(directory, null);
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRibatCore(options);
        var provided = services.BuildServiceProvider();
        var migrated = await provided.GetRequiredService<RibatDatabase>().MigrateAsync(cancellationToken);
        if (migrated.Error is { } error)
        {
            throw new InvalidOperationException($"Migration failed: {error.Message}");
        }

        return new BenchStore(provided, options, keep, directory, database, databaseName);
    }

    /// <summary>Where the data is, for the report and for a kept store.</summary>
    public string Location => IsPostgres ? $"PostgreSQL database {_databaseName}" : Path.Combine(_directory!, DatabaseOptions.SqliteFileName);

    /// <summary>The engine's version and the settings that decide write and read cost.</summary>
    public async Task<Dictionary<string, string>> SettingsAsync(CancellationToken cancellationToken)
    {
        await using var db = Get<RibatDatabase>().Open(TenantScope.NodeWide("benchmark"));
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var names = IsPostgres
            ? new[] { "server_version", "shared_buffers", "fsync", "synchronous_commit", "full_page_writes", "wal_level", "max_wal_size", "effective_cache_size", "work_mem" }
            : new[] { "sqlite_version()", "journal_mode", "synchronous", "cache_size", "page_size", "temp_store", "mmap_size", "wal_autocheckpoint" };
        var settings = new Dictionary<string, string>();
        foreach (var name in names)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = IsPostgres ? $"SHOW {name}" : name.EndsWith(')') ? $"SELECT {name}" : $"PRAGMA {name}";
            settings[name.Replace("()", string.Empty, StringComparison.Ordinal)] = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }

        return settings;
    }

    /// <summary>
    /// The space the store takes. SQLite: the file after a checkpoint folds the write-ahead log in (the bundled
    /// SQLite has no <c>dbstat</c> to split it by table). PostgreSQL: <c>pg_total_relation_size</c> per table, the
    /// indicator table's heap and indexes apart, and the whole database.
    /// </summary>
    public async Task<StoreSize> SizeAsync(CancellationToken cancellationToken)
    {
        await using var db = Get<RibatDatabase>().Open(TenantScope.NodeWide("benchmark"));
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var relations = new Dictionary<string, long>();
        long total;
        if (IsPostgres)
        {
            foreach (var table in new[] { "indicators", "reports", "share_grants", "audit_log" })
            {
                relations[table] = await ScalarAsync(connection, $"SELECT pg_total_relation_size('{table}')", cancellationToken);
            }

            relations["indicators (heap)"] = await ScalarAsync(connection, "SELECT pg_relation_size('indicators')", cancellationToken);
            relations["indicators (indexes)"] = await ScalarAsync(connection, "SELECT pg_indexes_size('indicators')", cancellationToken);
            total = await ScalarAsync(connection, "SELECT pg_database_size(current_database())", cancellationToken);
        }
        else
        {
            await ScalarAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken);
            var file = Path.Combine(_directory!, DatabaseOptions.SqliteFileName);
            total = new FileInfo(file).Length + (File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0);
        }

        return new StoreSize(total, relations);
    }

    /// <summary>How many indicator rows hold each of <paramref name="keys"/>, across every organisation.</summary>
    public async Task<Dictionary<long, long>> PostingsAsync(IReadOnlyCollection<long> keys, CancellationToken cancellationToken)
    {
        await using var db = Get<RibatDatabase>().Open(TenantScope.NodeWide("benchmark"));
        var counts = await db.Indicators.IgnoreQueryFilters()
            .Where(i => keys.Contains(i.ValueKey))
            .GroupBy(i => i.ValueKey)
            .Select(g => new { g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        return counts.ToDictionary(c => c.Key, c => c.Count);
    }

    public async Task<long> IndicatorCountAsync(CancellationToken cancellationToken)
    {
        await using var db = Get<RibatDatabase>().Open(TenantScope.NodeWide("benchmark"));
        return await db.Indicators.IgnoreQueryFilters().LongCountAsync(cancellationToken);
    }

    private static async Task<long> ScalarAsync(System.Data.Common.DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_keep)
        {
            return;
        }

        if (_databaseName is not null)
        {
            await ScratchDatabase.DropAsync(_serverConnection!, _databaseName);
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

public sealed record StoreSize(long TotalBytes, IReadOnlyDictionary<string, long> Relations);
