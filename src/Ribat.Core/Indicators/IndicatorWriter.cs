using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Ribat.Core.Data;
using SQLitePCL;

namespace Ribat.Core.Indicators;

/// <summary>
/// Writes many indicators inside the caller's transaction at the speed the database allows: one prepared
/// statement stepped per row on SQLite, binary COPY on PostgreSQL. EF's change tracker is bypassed on
/// purpose (it costs more than the insert); the columns written here are the columns the model maps,
/// and a test round-trips every property through EF to keep the two in step. The duplicate probe of a batch
/// on SQLite lives here too, because it steps a prepared statement through the same native calls.
/// </summary>
internal static class IndicatorWriter
{
    private static readonly string[] Columns =
    [
        "Id", "OwnerOrganisationId", "OwnerNode", "Tlp", "Pap", "Distribution", "SharingGroupId", "Handling", "HandlingConditions",
        "Evaluation", "Type", "Value", "Display", "ValueKey", "DuplicateKey", "Address", "RegisteredDomain", "Pattern", "ReportId", "Comment", "Tags",
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
    /// One statement prepared once and stepped per row through SQLite's own API: binding by position from UTF-8 spans
    /// (GUIDs formatted on the stack, text encoded and tags serialised into reused buffers) costs no allocation per row,
    /// where the ADO.NET layer would look each parameter up by name and convert every value into a fresh array. The
    /// database's encoding is UTF-8, so text bound as UTF-16 would be converted again, byte by byte, inside SQLite.
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
            var scratch = new byte[1024];
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
                BindText(statement, ++column, ref scratch, row.HandlingConditions);
                BindText(statement, ++column, ref scratch, row.Evaluation);
                BindText(statement, ++column, ref scratch, row.Type);
                BindText(statement, ++column, ref scratch, row.Value);
                BindText(statement, ++column, ref scratch, row.Display);
                raw.sqlite3_bind_int64(statement, ++column, row.ValueKey);
                raw.sqlite3_bind_int64(statement, ++column, row.DuplicateKey);
                BindText(statement, ++column, ref scratch, row.Address);
                BindText(statement, ++column, ref scratch, row.RegisteredDomain);
                BindText(statement, ++column, ref scratch, row.Pattern);
                BindGuid(statement, ++column, row.ReportId);
                BindText(statement, ++column, ref scratch, row.Comment);
                BindTags(statement, ++column, row.Tags, tags, json);
                raw.sqlite3_bind_int64(statement, ++column, row.Confidence);
                BindTime(statement, ++column, row.ValidFrom);
                BindTime(statement, ++column, row.ValidUntil);
                BindTime(statement, ++column, row.FirstSeen);
                BindTime(statement, ++column, row.LastSeen);
                raw.sqlite3_bind_int64(statement, ++column, row.ForDetection ? 1 : 0);
                BindText(statement, ++column, ref scratch, row.WarningList);
                raw.sqlite3_bind_int64(statement, ++column, row.WarningSuppressed ? 1 : 0);
                raw.sqlite3_bind_int64(statement, ++column, row.FalsePositive ? 1 : 0);
                BindText(statement, ++column, ref scratch, row.SourceId);
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

    /// <summary>
    /// The owner's rows holding each (value key, duplicate key) pair, as (type, value key, report): one prepared
    /// statement stepped per pair, each step one probe of the correlation index.
    /// </summary>
    public static List<(string Type, long ValueKey, Guid? Report)> Probe(SqliteConnection connection, Guid owner, IReadOnlyList<(long ValueKey, long DuplicateKey)> pairs, CancellationToken cancellationToken)
    {
        var db = connection.Handle!;
        const string Sql = "SELECT \"Type\", \"ReportId\" FROM indicators WHERE \"ValueKey\" = ?1 AND \"DuplicateKey\" = ?2 AND \"OwnerOrganisationId\" = ?3";
        Check(raw.sqlite3_prepare_v2(db, Sql, out var statement), db);
        var found = new List<(string, long, Guid?)>();
        using (statement)
        {
            BindGuid(statement, 3, owner);
            foreach (var (valueKey, duplicateKey) in pairs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                raw.sqlite3_bind_int64(statement, 1, valueKey);
                raw.sqlite3_bind_int64(statement, 2, duplicateKey);
                int stepped;
                while ((stepped = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                    var report = raw.sqlite3_column_type(statement, 1) == raw.SQLITE_NULL ? (Guid?)null : Guid.Parse(raw.sqlite3_column_text(statement, 1).utf8_to_string());
                    found.Add((raw.sqlite3_column_text(statement, 0).utf8_to_string(), valueKey, report));
                }

                raw.sqlite3_reset(statement);
                if (stepped != raw.SQLITE_DONE)
                {
                    Check(stepped, db);
                }
            }
        }

        return found;
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

        Span<byte> text = stackalloc byte[36];
        value.TryFormat(text, out _, "D");
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is >= (byte)'a' and <= (byte)'f')
            {
                text[i] -= 'a' - 'A';
            }
        }

        raw.sqlite3_bind_text(statement, index, text);
    }

    /// <summary>SQLite copies bound text (SQLITE_TRANSIENT), so one scratch buffer serves every column of every row.</summary>
    private static void BindText(sqlite3_stmt statement, int index, ref byte[] scratch, string? text)
    {
        if (text is null)
        {
            raw.sqlite3_bind_null(statement, index);
            return;
        }

        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (scratch.Length < most)
        {
            scratch = new byte[Math.Max(most, scratch.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(text, scratch);
        raw.sqlite3_bind_text(statement, index, scratch.AsSpan(0, length));
    }

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

    /// <summary>
    /// COPY in PostgreSQL's binary format, encoded here into one buffer and sent as it fills. Npgsql's row-by-row
    /// importer resolves a type and runs an asynchronous write per value, which cost the client more than the server
    /// spends storing the row; the format itself is a length and the value's bytes per column.
    /// </summary>
    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<Indicator> rows, CancellationToken cancellationToken)
    {
        var sql = $"COPY indicators ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)";
        var stream = await connection.BeginRawBinaryCopyAsync(sql, cancellationToken);
        try
        {
            var buffer = new CopyBuffer();
            buffer.Header();
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                buffer.StartRow(Columns.Length);
                buffer.Uuid(row.Id);
                buffer.Uuid(row.OwnerOrganisationId);
                buffer.Uuid(row.OwnerNode);
                buffer.Int32((int)row.Tlp);
                buffer.Int32((int)row.Pap);
                buffer.Int32((int)row.Distribution);
                buffer.Uuid(row.SharingGroupId);
                buffer.Int32((int)row.Handling);
                buffer.Text(row.HandlingConditions);
                buffer.Text(row.Evaluation);
                buffer.Text(row.Type);
                buffer.Text(row.Value);
                buffer.Text(row.Display);
                buffer.Int64(row.ValueKey);
                buffer.Int64(row.DuplicateKey);
                buffer.Text(row.Address);
                buffer.Text(row.RegisteredDomain);
                buffer.Text(row.Pattern);
                buffer.Uuid(row.ReportId);
                buffer.Text(row.Comment);
                buffer.TextArray(row.Tags);
                buffer.Int32(row.Confidence);
                buffer.Time(row.ValidFrom);
                buffer.Time(row.ValidUntil);
                buffer.Time(row.FirstSeen);
                buffer.Time(row.LastSeen);
                buffer.Bool(row.ForDetection);
                buffer.Text(row.WarningList);
                buffer.Bool(row.WarningSuppressed);
                buffer.Bool(row.FalsePositive);
                buffer.Text(row.SourceId);
                buffer.Uuid(row.CreatedBy);
                buffer.Time(row.CreatedAt);
                buffer.Time(row.UpdatedAt);
                if (buffer.Length >= CopyBuffer.FlushAt)
                {
                    await stream.WriteAsync(buffer.Written, cancellationToken);
                    buffer.Clear();
                }
            }

            buffer.Trailer();
            await stream.WriteAsync(buffer.Written, cancellationToken);
        }
        catch
        {
            // Tells the server the copy failed, so the connection is usable for the rollback that follows.
            await stream.CancelAsync();
            await stream.DisposeAsync();
            throw;
        }

        // Disposing a copy that was written to its end completes it; the server's error, if any, surfaces here.
        await stream.DisposeAsync();
    }

    /// <summary>The binary COPY encoding of the column types an indicator uses (big-endian, UTF-8, microseconds since 2000).</summary>
    private sealed class CopyBuffer
    {
        public const int FlushAt = 64 * 1024;

        private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

        private const int TextOid = 25;

        /// <summary>"PGCOPY", newline, 0xFF, carriage return, newline, zero.</summary>
        private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

        private byte[] _bytes = new byte[FlushAt * 2];

        public int Length { get; private set; }

        public ReadOnlyMemory<byte> Written => _bytes.AsMemory(0, Length);

        public void Clear() => Length = 0;

        public void Header()
        {
            Signature.CopyTo(Take(Signature.Length));
            BinaryPrimitives.WriteInt32BigEndian(Take(4), 0);
            BinaryPrimitives.WriteInt32BigEndian(Take(4), 0);
        }

        public void Trailer() => BinaryPrimitives.WriteInt16BigEndian(Take(2), -1);

        public void StartRow(int columns) => BinaryPrimitives.WriteInt16BigEndian(Take(2), (short)columns);

        public void Uuid(Guid? value)
        {
            if (value is not { } id)
            {
                Null();
                return;
            }

            BinaryPrimitives.WriteInt32BigEndian(Take(4), 16);
            id.TryWriteBytes(Take(16), bigEndian: true, out _);
        }

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32BigEndian(Take(4), 4);
            BinaryPrimitives.WriteInt32BigEndian(Take(4), value);
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt32BigEndian(Take(4), 8);
            BinaryPrimitives.WriteInt64BigEndian(Take(8), value);
        }

        public void Bool(bool value)
        {
            BinaryPrimitives.WriteInt32BigEndian(Take(4), 1);
            Take(1)[0] = value ? (byte)1 : (byte)0;
        }

        public void Time(DateTimeOffset? value)
        {
            if (value is not { } time)
            {
                Null();
                return;
            }

            BinaryPrimitives.WriteInt32BigEndian(Take(4), 8);
            BinaryPrimitives.WriteInt64BigEndian(Take(8), (time.UtcTicks - PostgresEpochTicks) / 10);
        }

        public void Text(string? value)
        {
            if (value is null)
            {
                Null();
                return;
            }

            var length = Encoding.UTF8.GetBytes(value, Room(4 + Encoding.UTF8.GetMaxByteCount(value.Length))[4..]);
            BinaryPrimitives.WriteInt32BigEndian(_bytes.AsSpan(Length), length);
            Length += 4 + length;
        }

        /// <summary>A one-dimensional text[] without nulls (an empty list has no dimension).</summary>
        public void TextArray(List<string> values)
        {
            var start = Length;
            Take(4);
            BinaryPrimitives.WriteInt32BigEndian(Take(4), values.Count == 0 ? 0 : 1);
            BinaryPrimitives.WriteInt32BigEndian(Take(4), 0);
            BinaryPrimitives.WriteInt32BigEndian(Take(4), TextOid);
            if (values.Count > 0)
            {
                BinaryPrimitives.WriteInt32BigEndian(Take(4), values.Count);
                BinaryPrimitives.WriteInt32BigEndian(Take(4), 1);
                foreach (var value in values)
                {
                    Text(value);
                }
            }

            BinaryPrimitives.WriteInt32BigEndian(_bytes.AsSpan(start), Length - start - 4);
        }

        private void Null() => BinaryPrimitives.WriteInt32BigEndian(Take(4), -1);

        private Span<byte> Take(int count)
        {
            var span = Room(count)[..count];
            Length += count;
            return span;
        }

        private Span<byte> Room(int count)
        {
            if (Length + count > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + count));
            }

            return _bytes.AsSpan(Length, count);
        }
    }
}
