using System.Buffers;

namespace Ribat.Forensics.Files;

/// <summary>
/// Everything about one file from one sequential read: digests, type, entropy, strings and their indicators, and for
/// a PE its structure. The stream is read in pooled 1 MiB pieces and never held whole; a PE's first
/// <see cref="FileAnalysisOptions.MaxPeBytes"/> bytes are kept as they pass, for its tables.
/// </summary>
public static class FileAnalyzer
{
    private const int ChunkSize = 1 << 20;

    // The registered type (IANA) for a PE whose headers read; an unreadable one stays the table's MZ type.
    private const string PeMediaType = "application/vnd.microsoft.portable-executable";

    /// <summary>Reads <paramref name="stream"/> to its end. I/O errors propagate: the caller decides what a vanished file means.</summary>
    public static FileAnalysis Analyze(Stream stream, FileAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= FileAnalysisOptions.Default;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var state = new ReadState(options);
        try
        {
            using var digests = new FileDigests(options.Digests);
            var first = true;
            int count;
            while ((count = Fill(stream, buffer)) > 0)
            {
                if (first)
                {
                    state.Start(buffer.AsSpan(0, Math.Min(count, FileTypes.HeadLength)), stream);
                    first = false;
                }

                digests.Append(buffer, count, state.Consume);
            }

            return state.Finish(digests.Finish(), digests.Length);
        }
        finally
        {
            state.Release();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Short reads are normal for pipes and network files; a piece is filled so the head is whole.
    private static int Fill(Stream stream, byte[] buffer)
    {
        var total = 0;
        int read;
        while (total < ChunkSize && (read = stream.Read(buffer, total, ChunkSize - total)) > 0)
        {
            total += read;
        }

        return total;
    }

    private sealed class ReadState(FileAnalysisOptions options)
    {
        private readonly ByteHistogram _histogram = new();
        private readonly List<FoundString>? _listed = options.ListStrings ? [] : null;
        private readonly StringIndicators? _indicators = options.FindIndicators ? new StringIndicators() : null;
        private StringScanner? _strings;
        private long _stringCount;
        private FileType _type = FileTypes.Empty;
        private byte[]? _pe;
        private int _peLength;

        public void Start(ReadOnlySpan<byte> head, Stream stream)
        {
            _type = FileTypes.Detect(head);
            if (_listed is not null || _indicators is not null)
            {
                _strings = new StringScanner(options.MinStringLength, Found);
            }

            if (_type.Type == "mz")
            {
                var expected = stream.CanSeek ? Math.Min(stream.Length, options.MaxPeBytes) : options.MaxPeBytes;
                _pe = ArrayPool<byte>.Shared.Rent((int)Math.Max(expected, head.Length));
            }
        }

        public void Consume(byte[] buffer, int count)
        {
            var data = buffer.AsSpan(0, count);
            _histogram.Add(data);
            _strings?.Append(data);
            if (_pe is not null && _peLength < options.MaxPeBytes)
            {
                var take = Math.Min(count, options.MaxPeBytes - _peLength);
                if (_peLength + take > _pe.Length)
                {
                    Grow(_peLength + take);
                }

                data[..take].CopyTo(_pe.AsSpan(_peLength));
                _peLength += take;
            }
        }

        public FileAnalysis Finish(FileHashes hashes, long size)
        {
            _strings?.Finish();
            _indicators?.Flush();
            PeReport? pe = null;
            string? problem = null;
            if (_pe is not null && PeParser.TryParse(_pe.AsSpan(0, _peLength), size, options.Now, out pe, out problem))
            {
                problem = null;
            }

            var type = pe is null ? _type : new FileType("pe", $"Windows {pe.Format} {(pe.Characteristics.Contains("DLL") ? "DLL" : "executable")} ({pe.Machine})",
                PeMediaType, FileKind.Executable, Refines: "mz");
            return new FileAnalysis(size, hashes, type, _histogram.Entropy(), pe, problem,
                new FileStrings(_stringCount, _listed, _indicators?.Found ?? []));
        }

        public void Release()
        {
            if (_pe is not null)
            {
                ArrayPool<byte>.Shared.Return(_pe);
                _pe = null;
            }
        }

        private void Found(FoundString found)
        {
            _stringCount++;
            if (_listed is not null && _listed.Count < options.MaxListedStrings)
            {
                _listed.Add(found);
            }

            _indicators?.Add(found);
        }

        private void Grow(int needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(options.MaxPeBytes, Math.Max(needed, _pe!.Length * 2)));
            _pe.AsSpan(0, _peLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_pe);
            _pe = larger;
        }
    }
}
