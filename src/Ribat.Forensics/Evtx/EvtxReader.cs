using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Ribat.Forensics.Evtx;

/// <summary>
/// Reads a Windows XML event log (EVTX) from a stream, chunk by chunk, never the whole file: a batch of 64 KiB
/// pooled buffers is filled in file order, its chunks are parsed on several cores (chunks share nothing), and the
/// records come out in file order. Damage is skipped and counted in <see cref="Report"/>.
/// </summary>
public sealed class EvtxReader
{
    private const int FileHeaderSize = 4096;
    private const int ChunksPerCore = 4;

    private readonly Stream _stream;
    private readonly EvtxReadOptions _options;

    public EvtxReader(Stream stream, EvtxReadOptions? options = null)
    {
        _stream = stream;
        _options = options ?? EvtxReadOptions.Default;
    }

    /// <summary>What was read and what was skipped so far; complete once <see cref="ReadRecords"/> has been enumerated.</summary>
    public EvtxReadReport Report { get; } = new();

    /// <summary>Reads the whole file from <paramref name="path"/> and returns its records and report.</summary>
    public static (List<EvtxRecord> Records, EvtxReadReport Report) ReadFile(string path, EvtxReadOptions? options = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        var reader = new EvtxReader(stream, options);
        var records = new List<EvtxRecord>();
        foreach (var record in reader.ReadRecords())
        {
            records.Add(record);
        }

        return (records, reader.Report);
    }

    /// <summary>The records in file order. Enumerate once; the stream is read as it goes.</summary>
    public IEnumerable<EvtxRecord> ReadRecords(CancellationToken cancellationToken = default)
    {
        var header = ArrayPool<byte>.Shared.Rent(FileHeaderSize);
        int declaredChunks;
        try
        {
            if (!TryReadHeader(header, out declaredChunks))
            {
                yield break;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }

        var width = Math.Max(1, _options.Parallelism);
        var slots = new ChunkSlot[width * ChunksPerCore];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = new ChunkSlot();
        }

        try
        {
            var index = 0;
            var offset = (long)FileHeaderSize;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var filled = Fill(slots, ref index, ref offset, declaredChunks);
                if (filled == 0)
                {
                    yield break;
                }

                Parse(slots, filled, width);
                for (var i = 0; i < filled; i++)
                {
                    Tally(slots[i].Reader);
                    foreach (var record in slots[i].Reader.Records)
                    {
                        yield return record;
                    }

                    slots[i].Reader.Records.Clear();
                }
            }
        }
        finally
        {
            foreach (var slot in slots)
            {
                slot.Release();
            }
        }
    }

    private bool TryReadHeader(byte[] header, out int declaredChunks)
    {
        declaredChunks = 0;
        var read = _stream.ReadAtLeast(header.AsSpan(0, FileHeaderSize), FileHeaderSize, throwOnEndOfStream: false);
        var span = header.AsSpan(0, read);
        if (read < 8 || !span.StartsWith("ElfFile\0"u8))
        {
            Report.Error = read == 0 ? "empty file" : "not an EVTX file: no ElfFile signature";
            return false;
        }

        if (read < FileHeaderSize)
        {
            Report.Error = "file header cut short: no chunk follows";
            return false;
        }

        Report.HeaderChecksumValid = Crc32.HashToUInt32(span[..120]) == BinaryPrimitives.ReadUInt32LittleEndian(span[124..]);
        declaredChunks = BinaryPrimitives.ReadUInt16LittleEndian(span[42..]);
        return true;
    }

    private int Fill(ChunkSlot[] slots, ref int index, ref long offset, int declaredChunks)
    {
        var filled = 0;
        while (filled < slots.Length)
        {
            var slot = slots[filled];
            var buffer = slot.Buffer();
            var read = _stream.ReadAtLeast(buffer.AsSpan(0, EvtxChunkReader.ChunkSize), EvtxChunkReader.ChunkSize, throwOnEndOfStream: false);
            if (read == 0)
            {
                break;
            }

            slot.Set(read, offset, index >= declaredChunks);
            filled++;
            index++;
            offset += read;
            if (read < EvtxChunkReader.ChunkSize)
            {
                break;
            }
        }

        return filled;
    }

    private void Parse(ChunkSlot[] slots, int filled, int width)
    {
        if (width == 1 || filled == 1)
        {
            for (var i = 0; i < filled; i++)
            {
                slots[i].Parse(_options.VerifyChecksums);
            }

            return;
        }

        var verify = _options.VerifyChecksums;
        Parallel.For(0, filled, new ParallelOptions { MaxDegreeOfParallelism = width }, i => slots[i].Parse(verify));
    }

    private void Tally(EvtxChunkReader chunk)
    {
        if (chunk.State != ChunkState.Unused)
        {
            Report.Chunks++;
        }

        if (chunk.State is ChunkState.Skipped or ChunkState.ReadDamaged)
        {
            Report.DamagedChunks++;
        }

        Report.RecordsRead += chunk.Records.Count;
        Report.RecordsSkipped += chunk.Skipped;
        foreach (var damage in chunk.Damage)
        {
            Report.Add(damage);
        }
    }

    /// <summary>One chunk in flight: its pooled buffer, where it came from, and the reader that parses it.</summary>
    private sealed class ChunkSlot
    {
        private byte[]? _buffer;
        private int _length;
        private long _offset;
        private bool _beyondDeclared;

        public EvtxChunkReader Reader { get; } = EvtxChunkReader.Rent();

        public byte[] Buffer() => _buffer ??= ArrayPool<byte>.Shared.Rent(EvtxChunkReader.ChunkSize);

        public void Set(int length, long offset, bool beyondDeclared)
        {
            _length = length;
            _offset = offset;
            _beyondDeclared = beyondDeclared;
        }

        public void Parse(bool verifyChecksums) => Reader.Read(_buffer!, _length, _offset, _beyondDeclared, verifyChecksums);

        public void Release()
        {
            EvtxChunkReader.Return(Reader);
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }
        }
    }
}
