namespace Ribat.Core.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where the data lives: the data directory always (node key, files), and SQLite in it or PostgreSQL.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public const string SqliteFileName = "ribat.db";

    /// <summary>
    /// No connection string means the embedded SQLite file in the data directory; anything else is a
    /// PostgreSQL connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).
    /// </summary>
    public static DatabaseOptions Resolve(string dataDirectory, string? connectionString) =>
        string.IsNullOrWhiteSpace(connectionString)
            ? new(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dataDirectory, SqliteFileName)};Default Timeout=30;Pooling=True")
            : new(DatabaseProvider.Postgres, connectionString);

    /// <summary>A description that is safe to print: never the password.</summary>
    public string Describe()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            return "SQLite " + ConnectionString.Split(';')[0]["Data Source=".Length..];
        }

        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL (unparsable connection string)";
        }
    }
}
