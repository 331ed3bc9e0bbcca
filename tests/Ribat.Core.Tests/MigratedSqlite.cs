using Ribat.Core.Data;

namespace Ribat.Core.Tests;

/// <summary>A real SQLite database with every migration applied, in a temporary directory of its own that goes with it.</summary>
internal sealed class MigratedSqlite : IAsyncDisposable
{
    private readonly string _directory;

    private MigratedSqlite(string directory, RibatDatabase database)
    {
        _directory = directory;
        Database = database;
    }

    public RibatDatabase Database { get; }

    /// <summary>The database file's write-ahead log.</summary>
    public string LogPath => Path.Combine(_directory, DatabaseOptions.SqliteFileName + "-wal");

    public static async Task<MigratedSqlite> CreateAsync(string prefix)
    {
        var directory = Directory.CreateTempSubdirectory(prefix).FullName;
        var database = new RibatDatabase(DatabaseOptions.Resolve(directory, null));
        (await database.MigrateAsync()).IsSuccess.Should().BeTrue();
        return new MigratedSqlite(directory, database);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
