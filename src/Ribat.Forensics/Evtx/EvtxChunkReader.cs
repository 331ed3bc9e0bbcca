using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Hashing;

namespace Ribat.Forensics.Evtx;

internal enum ChunkState : byte
{
    /// <summary>A zeroed or never-written slot past the chunk count of the file header: not a chunk.</summary>
    Unused,
    Read,

    /// <summary>Read, but something in it was wrong (its records may still be there, up to the damage).</summary>
    ReadDamaged,
    Skipped,
}

/// <summary>
/// Checks one 64 KiB chunk (magic, header CRC32, event-records CRC32) and reads its records. Each instance keeps its
/// own binary XML caches, so chunks can be read on several threads with one reader each.
/// </summary>
internal sealed class EvtxChunkReader
{
    public const int ChunkSize = 65536;
    private const int HeaderSize = 512;
    private const int RecordOverhead = 28;

    // Readers of files read one after another (a hunt over a folder) reuse these, with their caches and buffers.
    private static readonly ConcurrentQueue<EvtxChunkReader> Pool = new();
    private static readonly int PoolLimit = 16 * Environment.ProcessorCount;

    private readonly BinXmlReader _xml = new();

    public List<EvtxRecord> Records { get; } = [];

    public List<EvtxDamage> Damage { get; } = [];

    public ChunkState State { get; private set; }

    public long Skipped { get; private set; }

    /// <summary>Templates compiled by this reader over all the chunks it read; those met before are not compiled again.</summary>
    public int TemplatesCompiled => _xml.TemplatesCompiled;

    /// <summary>A reader from the pool, or a new one.</summary>
    public static EvtxChunkReader Rent() => Pool.TryDequeue(out var reader) ? reader : new EvtxChunkReader();

    /// <summary>Gives a reader back once its records have been handed out; it keeps no chunk or record.</summary>
    public static void Return(EvtxChunkReader reader)
    {
        reader.Records.Clear();
        reader.Damage.Clear();
        reader._xml.Reset([], 0);
        if (Pool.Count < PoolLimit)
        {
            Pool.Enqueue(reader);
        }
    }

    /// <summary>Reads the chunk in <paramref name="chunk"/>[0..length) found at <paramref name="fileOffset"/>.</summary>
    public void Read(byte[] chunk, int length, long fileOffset, bool beyondDeclared, bool verifyChecksums)
    {
        Records.Clear();
        Damage.Clear();
        Skipped = 0;
        var span = chunk.AsSpan(0, length);
        if (length < HeaderSize || !span.StartsWith("ElfChnk\0"u8))
        {
            // Windows pre-allocates chunk slots; those past the header's count hold zeros or leftovers, not damage.
            State = beyondDeclared ? ChunkState.Unused : Skip(fileOffset, length < HeaderSize ? "chunk cut short inside its header" : "bad chunk magic");
            return;
        }

        State = ChunkState.Read;
        if (HeaderCrc(span) != BinaryPrimitives.ReadUInt32LittleEndian(span[124..]))
        {
            if (verifyChecksums)
            {
                State = Skip(fileOffset, "chunk header checksum mismatch");
                return;
            }

            Note(fileOffset, "chunk header checksum mismatch, read anyway");
        }

        var freeSpace = BinaryPrimitives.ReadUInt32LittleEndian(span[48..]);
        var end = freeSpace is < HeaderSize or > ChunkSize ? length : (int)Math.Min(freeSpace, (uint)length);
        if (freeSpace > length)
        {
            Note(fileOffset, freeSpace is < HeaderSize or > ChunkSize ? "free space offset outside the chunk" : "chunk cut short by the end of the file");
        }
        else if (Crc32.HashToUInt32(span[HeaderSize..end]) != BinaryPrimitives.ReadUInt32LittleEndian(span[52..]))
        {
            if (verifyChecksums)
            {
                State = Skip(fileOffset, "event records checksum mismatch");
                return;
            }

            Note(fileOffset, "event records checksum mismatch, read anyway");
        }

        _xml.Reset(chunk, length);
        ReadRecords(span, end, fileOffset);
    }

    private void ReadRecords(ReadOnlySpan<byte> span, int end, long fileOffset)
    {
        var pos = HeaderSize;
        while (pos <= end - RecordOverhead)
        {
            if (!span[pos..].StartsWith("\x2a\x2a\0\0"u8))
            {
                if (span[pos..end].IndexOfAnyExcept((byte)0) >= 0)
                {
                    LoseTail(fileOffset + pos, "bad record magic, rest of chunk unread");
                }

                return;
            }

            var size = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 4)..]);
            if (size < RecordOverhead || size > (uint)(end - pos) || BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + (int)size - 4)..]) != size)
            {
                LoseTail(fileOffset + pos, size > (uint)(end - pos) && end < ChunkSize && end == span.Length ? "record cut short by the end of the file" : "bad record size, rest of chunk unread");
                return;
            }

            ReadRecord(span, pos, (int)size, fileOffset);
            pos += (int)size;
        }
    }

    private void ReadRecord(ReadOnlySpan<byte> span, int pos, int size, long fileOffset)
    {
        var recordId = BinaryPrimitives.ReadInt64LittleEndian(span[(pos + 8)..]);
        var written = BinaryPrimitives.ReadInt64LittleEndian(span[(pos + 16)..]);
        try
        {
            Records.Add(_xml.ReadRecord(pos + 24, pos + size - 4, recordId, FileTime(written)));
        }
        catch (BinXmlFormatException e)
        {
            Skipped++;
            Note(fileOffset + pos, "bad binary XML: " + e.Message);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            // Every read is bounded by the chunk buffer; this is the last line should a hostile record still slip through.
            Skipped++;
            Note(fileOffset + pos, "bad binary XML: malformed");
        }
    }

    public static DateTimeOffset? FileTime(long ticks) =>
        ticks >= 0 && ticks <= DateTime.MaxValue.Ticks - DateTime.FromFileTimeUtc(0).Ticks ? new DateTimeOffset(DateTime.FromFileTimeUtc(ticks)) : null;

    /// <summary>The header CRC32 covers bytes 0–120 and 128–512: it skips the flags and itself.</summary>
    private static uint HeaderCrc(ReadOnlySpan<byte> span)
    {
        var crc = new Crc32();
        crc.Append(span[..120]);
        crc.Append(span[128..HeaderSize]);
        return crc.GetCurrentHashAsUInt32();
    }

    private ChunkState Skip(long offset, string reason)
    {
        Damage.Add(new EvtxDamage(offset, reason));
        return ChunkState.Skipped;
    }

    private void Note(long offset, string reason)
    {
        Damage.Add(new EvtxDamage(offset, reason));
        if (State == ChunkState.Read)
        {
            State = ChunkState.ReadDamaged;
        }
    }

    private void LoseTail(long offset, string reason)
    {
        Skipped++;
        Note(offset, reason);
    }
}
