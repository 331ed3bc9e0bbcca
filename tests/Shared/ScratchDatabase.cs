using Npgsql;

namespace Ribat.Testing;

/// <summary>
/// A database of its own on a PostgreSQL server, for one test node or benchmark run: created empty, dropped whole
/// afterwards (connections still open to it are ended). Every project that starts nodes on PostgreSQL links this file.
/// </summary>
internal static class ScratchDatabase
{
    /// <summary>Creates <paramref name="name"/> on the server <paramref name="server"/> reaches; returns the connection string to it.</summary>
    public static async Task<string> CreateAsync(string server, string name, CancellationToken cancellationToken = default)
    {
        await RunAsync(server, $"CREATE DATABASE \"{name}\"", cancellationToken);
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public static Task DropAsync(string server, string name) =>
        RunAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None);

    private static async Task RunAsync(string server, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
