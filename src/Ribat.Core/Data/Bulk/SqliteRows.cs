using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ribat.Core.Data.Bulk;

/// <summary>
/// Rows into SQLite through one statement prepared once and stepped per row with SQLite's own API: binding by position
/// from UTF-8 spans (GUIDs formatted on the stack, text encoded and lists serialised into reused buffers) costs no
/// allocation per row, where the ADO.NET layer would look each parameter up by name and convert every value into a
/// fresh array. The database's encoding is UTF-8, so text bound as UTF-16 would be converted again inside SQLite.
/// Values are stored as EF's SQLite provider stores them: GUIDs as upper-case text, instants as UTC microseconds,
/// enums and booleans as integers, lists as JSON.
/// </summary>
internal static class SqliteRows
{
    public static void Insert<T>(SqliteConnection connection, BulkTable<T> table, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        var db = connection.Handle!;
        var sql = $"INSERT INTO {table.Name} ({table.ColumnList}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"?{i + 1}"))})";
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        using (statement)
        {
            var sink = new StatementSink(statement);
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sink.Start();
                table.Bind(sink, row);
                if (sink.Bound != table.Columns.Length)
                {
                    throw new InvalidOperationException($"{table.Name}: {sink.Bound} values bound for {table.Columns.Length} columns.");
                }

                var stepped = raw.sqlite3_step(statement);
                raw.sqlite3_reset(statement);
                if (stepped != raw.SQLITE_DONE)
                {
                    Check(stepped, db);
                }
            }
        }
    }

    public static void BindGuid(sqlite3_stmt statement, int index, Guid? id)
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

    public static void Check(int result, sqlite3 db)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, db);
        }
    }

    /// <summary>SQLite copies bound text (SQLITE_TRANSIENT), so one scratch buffer serves every column of every row.</summary>
    private sealed class StatementSink(sqlite3_stmt statement) : IRowSink
    {
        private readonly ArrayBufferWriter<byte> _list = new(256);
        private readonly Utf8JsonWriter _json = new(Stream.Null);
        private byte[] _scratch = new byte[1024];

        public int Bound { get; private set; }

        public void Start() => Bound = 0;

        public void Uuid(Guid? value) => BindGuid(statement, ++Bound, value);

        public void Int32(int value) => raw.sqlite3_bind_int64(statement, ++Bound, value);

        public void Int64(long value) => raw.sqlite3_bind_int64(statement, ++Bound, value);

        public void Bool(bool value) => raw.sqlite3_bind_int64(statement, ++Bound, value ? 1 : 0);

        public void Time(DateTimeOffset? value) =>
            _ = value is { } t ? raw.sqlite3_bind_int64(statement, ++Bound, t.UtcTicks / 10) : raw.sqlite3_bind_null(statement, ++Bound);

        public void Text(string? value)
        {
            if (value is null)
            {
                raw.sqlite3_bind_null(statement, ++Bound);
                return;
            }

            var most = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (_scratch.Length < most)
            {
                _scratch = new byte[Math.Max(most, _scratch.Length * 2)];
            }

            var length = Encoding.UTF8.GetBytes(value, _scratch);
            raw.sqlite3_bind_text(statement, ++Bound, _scratch.AsSpan(0, length));
        }

        public void TextList(List<string> values)
        {
            _list.ResetWrittenCount();
            _json.Reset(_list);
            _json.WriteStartArray();
            foreach (var value in values)
            {
                _json.WriteStringValue(value);
            }

            _json.WriteEndArray();
            _json.Flush();
            raw.sqlite3_bind_text(statement, ++Bound, _list.WrittenSpan);
        }
    }
}
