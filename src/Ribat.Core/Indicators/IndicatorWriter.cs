using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Ribat.Core.Data;
using SQLitePCL;

namespace Ribat.Core.Indicators;

/// <summary>
/// Writes many indicators inside the caller's transaction at the speed the database allows: one prepared
/// statement stepped per row on SQLite, binary COPY on PostgreSQL. EF's change tracker is bypassed on
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

        if (db.Database.CurrentTransaction is null)
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
            Insert((SqliteConnection)connection, rows, cancellationToken);
        }
    }

    /// <summary>
    /// One statement prepared once and stepped per row through SQLite's own API: binding by position from spans
    /// (GUIDs formatted on the stack, tags serialised into one reused buffer) costs no allocation per row, where the
    /// ADO.NET layer would look each parameter up by name and convert every value into a fresh array.
    /// </summary>
    private static void Insert(SqliteConnection connection, IReadOnlyList<Indicator> rows, CancellationToken cancellationToken)
    {
        var db = connection.Handle!;
        var sql = $"INSERT INTO indicators ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", Columns.Select((_, i) => $"?{i + 1}"))})";
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        using (statement)
        {
            var tags = new ArrayBufferWriter<byte>(256);
            using var json = new Utf8JsonWriter(tags);
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var column = 0;
                BindGuid(statement, ++column, row.Id);
                BindGuid(statement, ++column, row.OwnerOrganisationId);
                BindGuid(statement, ++column, row.OwnerNode);
                raw.sqlite3_bind_int64(statement, ++column, (long)row.Tlp);
                raw.sqlite3_bind_int64(statement, ++column, (long)row.Pap);
                raw.sqlite3_bind_int64(statement, ++column, (long)row.Distribution);
                BindGuid(statement, ++column, row.SharingGroupId);
                raw.sqlite3_bind_int64(statement, ++column, (long)row.Handling);
                BindText(statement, ++column, row.HandlingConditions);
                BindText(statement, ++column, row.Evaluation);
                BindText(statement, ++column, row.Type);
                BindText(statement, ++column, row.Value);
                BindText(statement, ++column, row.Display);
                raw.sqlite3_bind_int64(statement, ++column, row.ValueKey);
                BindText(statement, ++column, row.Address);
                BindText(statement, ++column, row.RegisteredDomain);
                BindText(statement, ++column, row.Pattern);
                BindGuid(statement, ++column, row.ReportId);
                BindText(statement, ++column, row.Comment);
                BindTags(statement, ++column, row.Tags, tags, json);
                raw.sqlite3_bind_int64(statement, ++column, row.Confidence);
                BindTime(statement, ++column, row.ValidFrom);
                BindTime(statement, ++column, row.ValidUntil);
                BindTime(statement, ++column, row.FirstSeen);
                BindTime(statement, ++column, row.LastSeen);
                raw.sqlite3_bind_int64(statement, ++column, row.ForDetection ? 1 : 0);
                BindText(statement, ++column, row.WarningList);
                raw.sqlite3_bind_int64(statement, ++column, row.WarningSuppressed ? 1 : 0);
                raw.sqlite3_bind_int64(statement, ++column, row.FalsePositive ? 1 : 0);
                BindText(statement, ++column, row.SourceId);
                BindGuid(statement, ++column, row.CreatedBy);
                BindTime(statement, ++column, row.CreatedAt);
                BindTime(statement, ++column, row.UpdatedAt);
                Debug.Assert(column == Columns.Length, "Every mapped column is bound, in the order of Columns.");

                var stepped = raw.sqlite3_step(statement);
                raw.sqlite3_reset(statement);
                if (stepped != raw.SQLITE_DONE)
                {
                    Check(stepped, db);
                }
            }
        }
    }

    // SQLite stores what EF's SQLite provider stores: Guids as upper-case text, instants as UTC microseconds,
    // enums and booleans as integers, lists as JSON.
    private static void BindGuid(sqlite3_stmt statement, int index, Guid? id)
    {
        if (id is not { } value)
        {
            raw.sqlite3_bind_null(statement, index);
            return;
        }

        Span<char> text = stackalloc char[36];
        value.TryFormat(text, out _, "D");
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = char.ToUpperInvariant(text[i]);
        }

        raw.sqlite3_bind_text16(statement, index, text);
    }

    private static void BindText(sqlite3_stmt statement, int index, string? text) =>
        _ = text is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text16(statement, index, text.AsSpan());

    private static void BindTime(sqlite3_stmt statement, int index, DateTimeOffset? time) =>
        _ = time is { } t ? raw.sqlite3_bind_int64(statement, index, t.UtcTicks / 10) : raw.sqlite3_bind_null(statement, index);

    private static void BindTags(sqlite3_stmt statement, int index, List<string> tags, ArrayBufferWriter<byte> buffer, Utf8JsonWriter json)
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartArray();
        foreach (var tag in tags)
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
        json.Flush();
        raw.sqlite3_bind_text(statement, index, buffer.WrittenSpan);
    }

    private static void Check(int result, sqlite3 db)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, db);
        }
    }

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
