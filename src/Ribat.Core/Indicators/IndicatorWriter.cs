using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Ribat.Core.Data;

namespace Ribat.Core.Indicators;

/// <summary>
/// Writes many indicators inside the caller's transaction at the speed the database allows: one prepared
/// statement reused per row on SQLite, binary COPY on PostgreSQL. EF's change tracker is bypassed on
/// purpose (it costs more than the insert); the columns written here are the columns the model maps,
/// and a test round-trips every property through EF to keep the two in step.
/// </summary>
internal static class IndicatorWriter
{
    private static readonly string[] Columns =
    [
        "Id", "OwnerOrganisationId", "OwnerNode", "Tlp", "Pap", "Distribution", "SharingGroupId", "Handling", "HandlingConditions",
        "Evaluation", "Type", "Value", "Display", "ValueKey", "Address", "RegisteredDomain", "Pattern", "ReportId", "Comment", "Tags",
        "Confidence", "ValidFrom", "ValidUntil", "FirstSeen", "LastSeen", "ForDetection", "WarningList", "WarningSuppressed",
        "FalsePositive", "SourceId", "CreatedBy", "CreatedAt", "UpdatedAt",
    ];

    public static async Task WriteAsync(RibatDbContext db, IReadOnlyList<Indicator> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (db.Database.CurrentTransaction is not { } transaction)
        {
            throw new InvalidOperationException("Indicators are written inside the caller's transaction.");
        }

        var connection = db.Database.GetDbConnection();
        if (db.IsPostgres)
        {
            await CopyAsync((NpgsqlConnection)connection, rows, cancellationToken);
        }
        else
        {
            await InsertAsync((SqliteConnection)connection, transaction.GetDbTransaction(), rows, cancellationToken);
        }
    }

    private static async Task InsertAsync(SqliteConnection connection, DbTransaction transaction, IReadOnlyList<Indicator> rows, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = $"INSERT INTO indicators ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", Columns.Select((_, i) => $"$p{i}"))})";
        var parameters = Columns.Select((_, i) => command.Parameters.Add($"$p{i}", SqliteType.Text)).ToArray();
        command.Prepare();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = SqliteValues(row);
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].SqliteType = values[i] switch
                {
                    long => SqliteType.Integer,
                    _ => SqliteType.Text,
                };
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // SQLite stores what EF's SQLite provider stores: Guids as upper-case text, instants as UTC microseconds,
    // enums and booleans as integers, lists as JSON.
    private static object?[] SqliteValues(Indicator row) =>
    [
        G(row.Id), G(row.OwnerOrganisationId), G(row.OwnerNode), (long)row.Tlp, (long)row.Pap, (long)row.Distribution, G(row.SharingGroupId),
        (long)row.Handling, row.HandlingConditions, row.Evaluation, row.Type, row.Value, row.Display, row.ValueKey, row.Address,
        row.RegisteredDomain, row.Pattern, G(row.ReportId), row.Comment, JsonSerializer.Serialize(row.Tags), (long)row.Confidence,
        T(row.ValidFrom), T(row.ValidUntil), T(row.FirstSeen), T(row.LastSeen), row.ForDetection ? 1L : 0L, row.WarningList,
        row.WarningSuppressed ? 1L : 0L, row.FalsePositive ? 1L : 0L, row.SourceId, G(row.CreatedBy), T(row.CreatedAt), T(row.UpdatedAt),
    ];

    private static string? G(Guid? id) => id?.ToString().ToUpperInvariant();

    private static object? T(DateTimeOffset? time) => time is { } t ? t.UtcTicks / 10 : null;

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<Indicator> rows, CancellationToken cancellationToken)
    {
        var sql = $"COPY indicators ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var copy = await connection.BeginBinaryImportAsync(sql, cancellationToken);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(row.OwnerOrganisationId, NpgsqlDbType.Uuid, cancellationToken);
            await WriteNullableAsync(copy, row.OwnerNode, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync((int)row.Tlp, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync((int)row.Pap, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync((int)row.Distribution, NpgsqlDbType.Integer, cancellationToken);
            await WriteNullableAsync(copy, row.SharingGroupId, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync((int)row.Handling, NpgsqlDbType.Integer, cancellationToken);
            await WriteTextAsync(copy, row.HandlingConditions, cancellationToken);
            await WriteTextAsync(copy, row.Evaluation, cancellationToken);
            await copy.WriteAsync(row.Type, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Value, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Display, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.ValueKey, NpgsqlDbType.Bigint, cancellationToken);
            await WriteTextAsync(copy, row.Address, cancellationToken);
            await WriteTextAsync(copy, row.RegisteredDomain, cancellationToken);
            await WriteTextAsync(copy, row.Pattern, cancellationToken);
            await WriteNullableAsync(copy, row.ReportId, NpgsqlDbType.Uuid, cancellationToken);
            await WriteTextAsync(copy, row.Comment, cancellationToken);
            await copy.WriteAsync(row.Tags, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(row.Confidence, NpgsqlDbType.Integer, cancellationToken);
            await WriteTimeAsync(copy, row.ValidFrom, cancellationToken);
            await WriteTimeAsync(copy, row.ValidUntil, cancellationToken);
            await WriteTimeAsync(copy, row.FirstSeen, cancellationToken);
            await WriteTimeAsync(copy, row.LastSeen, cancellationToken);
            await copy.WriteAsync(row.ForDetection, NpgsqlDbType.Boolean, cancellationToken);
            await WriteTextAsync(copy, row.WarningList, cancellationToken);
            await copy.WriteAsync(row.WarningSuppressed, NpgsqlDbType.Boolean, cancellationToken);
            await copy.WriteAsync(row.FalsePositive, NpgsqlDbType.Boolean, cancellationToken);
            await WriteTextAsync(copy, row.SourceId, cancellationToken);
            await WriteNullableAsync(copy, row.CreatedBy, NpgsqlDbType.Uuid, cancellationToken);
            await WriteTimeAsync(copy, row.CreatedAt, cancellationToken);
            await WriteTimeAsync(copy, row.UpdatedAt, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, Guid? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task WriteTextAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteTimeAsync(NpgsqlBinaryImporter copy, DateTimeOffset? value, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
