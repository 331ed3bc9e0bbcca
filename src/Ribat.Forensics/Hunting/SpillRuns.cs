namespace Ribat.Forensics.Hunting;

/// <summary>Where a row sorts: by time (rows without one last), then in input order (file, archive member, record).</summary>
internal readonly record struct SpillKey(long Ticks, int File, int Member, long Sequence) : IComparable<SpillKey>
{
    public static SpillKey For(DateTimeOffset? time, int file, int member, long sequence) =>
        new(time?.UtcTicks ?? long.MaxValue, file, member, sequence);

    public int CompareTo(SpillKey other)
    {
        var c = Ticks.CompareTo(other.Ticks);
        if (c == 0)
        {
            c = File.CompareTo(other.File);
        }

        if (c == 0)
        {
            c = Member.CompareTo(other.Member);
        }

        return c != 0 ? c : Sequence.CompareTo(other.Sequence);
    }
}

/// <summary>
/// An external merge sort of hunt rows for one purpose (the timeline, logon events, detections a correlation needs):
/// each thread fills its own <see cref="SpillBuffer"/>, which writes a sorted run to disk when it holds
/// <see cref="HuntOptions.RunBytes"/> or <see cref="HuntOptions.RunRecords"/>; <see cref="Merge"/> reads every run
/// back in key order, merging at most <see cref="HuntOptions.MergeFanIn"/> runs at once (more are merged in passes
/// first). Memory is the buffers and one 64 KiB read buffer per merged run, whatever the input size; disk holds
/// every row once (twice during a merge pass).
/// </summary>
internal sealed class SpillRuns(string directory, string purpose, HuntOptions options)
{
    private readonly List<string> _runs = [];
    private int _next;

    /// <summary>Runs written so far, merge passes included.</summary>
    public int Written => Volatile.Read(ref _next);

    public SpillBuffer CreateBuffer() => new(this, options.RunBytes, options.RunRecords);

    internal string NewPath() => Path.Combine(directory, $"{purpose}-{Interlocked.Increment(ref _next)}.run");

    internal void Add(string path)
    {
        lock (_runs)
        {
            _runs.Add(path);
        }
    }

    /// <summary>Every row of every run, in key order; the run files are deleted as they are read. Call once all buffers are flushed.</summary>
    public IEnumerable<HuntHit> Merge()
    {
        List<string> runs;
        lock (_runs)
        {
            runs = [.. _runs];
            _runs.Clear();
        }

        runs.Sort(StringComparer.Ordinal);
        while (runs.Count > options.MergeFanIn)
        {
            var group = runs.GetRange(0, options.MergeFanIn);
            runs.RemoveRange(0, options.MergeFanIn);
            var merged = NewPath();
            using (var output = SpillFile.Create(merged))
            {
                foreach (var (key, hit) in MergeRuns(group))
                {
                    SpillCodec.Write(output, key, hit);
                }
            }

            runs.Add(merged);
        }

        foreach (var (_, hit) in MergeRuns(runs))
        {
            yield return hit;
        }
    }

    private static IEnumerable<(SpillKey Key, HuntHit Hit)> MergeRuns(List<string> paths)
    {
        var readers = new List<SpillReader>(paths.Count);
        try
        {
            var queue = new PriorityQueue<SpillReader, SpillKey>(paths.Count);
            foreach (var path in paths)
            {
                var reader = new SpillReader(path);
                readers.Add(reader);
                if (reader.TryNext())
                {
                    queue.Enqueue(reader, reader.Key);
                }
            }

            while (queue.TryDequeue(out var reader, out var key))
            {
                yield return (key, reader.Hit);
                if (reader.TryNext())
                {
                    queue.Enqueue(reader, reader.Key);
                }
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>One run being read back; its file goes when it is closed.</summary>
    private sealed class SpillReader(string path) : IDisposable
    {
        private readonly BinaryReader _reader = new(
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan | FileOptions.DeleteOnClose));

        public SpillKey Key { get; private set; }

        public HuntHit Hit { get; private set; } = null!;

        public bool TryNext()
        {
            if (!SpillCodec.TryRead(_reader, out var key, out var hit))
            {
                return false;
            }

            Key = key;
            Hit = hit;
            return true;
        }

        public void Dispose() => _reader.Dispose();
    }
}

/// <summary>One thread's rows not yet spilled; sorted and written as a run when full or flushed.</summary>
internal sealed class SpillBuffer(SpillRuns runs, long maxBytes, int maxRecords)
{
    private readonly List<(SpillKey Key, HuntHit Hit)> _rows = [];
    private long _bytes;

    public void Add(SpillKey key, HuntHit hit)
    {
        _rows.Add((key, hit));
        _bytes += SpillCodec.Estimate(hit);
        if (_rows.Count >= maxRecords || _bytes >= maxBytes)
        {
            Flush();
        }
    }

    public void Flush()
    {
        if (_rows.Count == 0)
        {
            return;
        }

        _rows.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        var path = runs.NewPath();
        using (var output = SpillFile.Create(path))
        {
            foreach (var (key, hit) in _rows)
            {
                SpillCodec.Write(output, key, hit);
            }
        }

        runs.Add(path);
        _rows.Clear();
        _bytes = 0;
    }
}

internal static class SpillFile
{
    public static BinaryWriter Create(string path) =>
        new(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024));
}
