using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace Ribat.Core.Data.Bulk;

/// <summary>
/// Rows into PostgreSQL by COPY in the binary format, encoded here into one buffer and sent as it fills. Npgsql's
/// row-by-row importer resolves a type and runs an asynchronous write per value, which cost the client more than the
/// server spends storing the row; the format itself is a length and the value's bytes per column.
/// </summary>
internal static class CopyRows
{
    public static async Task WriteAsync<T>(NpgsqlConnection connection, BulkTable<T> table, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        var stream = await connection.BeginRawBinaryCopyAsync($"COPY {table.Name} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        try
        {
            var buffer = new CopyBuffer();
            buffer.Header();
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                buffer.StartRow(table.Columns.Length);
                table.Bind(buffer, row);
                if (buffer.Bound != table.Columns.Length)
                {
                    throw new InvalidOperationException($"{table.Name}: {buffer.Bound} values bound for {table.Columns.Length} columns.");
                }

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

    /// <summary>The binary COPY encoding of the column types Ribat writes (big-endian, UTF-8, microseconds since 2000).</summary>
    private sealed class CopyBuffer : IRowSink
    {
        public const int FlushAt = 64 * 1024;

        private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

        private const int TextOid = 25;

        /// <summary>"PGCOPY", newline, 0xFF, carriage return, newline, zero.</summary>
        private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

        private byte[] _bytes = new byte[FlushAt * 2];

        public int Length { get; private set; }

        public int Bound { get; private set; }

        public ReadOnlyMemory<byte> Written => _bytes.AsMemory(0, Length);

        public void Clear() => Length = 0;

        public void Header()
        {
            Signature.CopyTo(Take(Signature.Length));
            BinaryPrimitives.WriteInt32BigEndian(Take(4), 0);
            BinaryPrimitives.WriteInt32BigEndian(Take(4), 0);
        }

        public void Trailer() => BinaryPrimitives.WriteInt16BigEndian(Take(2), -1);

        public void StartRow(int columns)
        {
            BinaryPrimitives.WriteInt16BigEndian(Take(2), (short)columns);
            Bound = 0;
        }

        public void Uuid(Guid? value)
        {
            Bound++;
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
            Bound++;
            BinaryPrimitives.WriteInt32BigEndian(Take(4), 4);
            BinaryPrimitives.WriteInt32BigEndian(Take(4), value);
        }

        public void Int64(long value)
        {
            Bound++;
            BinaryPrimitives.WriteInt32BigEndian(Take(4), 8);
            BinaryPrimitives.WriteInt64BigEndian(Take(8), value);
        }

        public void Bool(bool value)
        {
            Bound++;
            BinaryPrimitives.WriteInt32BigEndian(Take(4), 1);
            Take(1)[0] = value ? (byte)1 : (byte)0;
        }

        public void Time(DateTimeOffset? value)
        {
            Bound++;
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
            Bound++;
            Encode(value);
        }

        /// <summary>A one-dimensional text[] without nulls (an empty list has no dimension).</summary>
        public void TextList(List<string> values)
        {
            Bound++;
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
                    Encode(value);
                }
            }

            BinaryPrimitives.WriteInt32BigEndian(_bytes.AsSpan(start), Length - start - 4);
        }

        private void Encode(string? value)
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
