using Ribat.Core.Evidence;
using Ribat.Core.Findings;

namespace Ribat.Core.Jobs;

/// <summary>
/// What a running analysis has done so far, written by the analysis and read by the worker's heartbeat, which stores it
/// on the job row. An analysis that reads through its own streams counts bytes; a hunt hands over its own counters.
/// </summary>
internal sealed class JobProgress
{
    private long _done;
    private long _total;
    private long _records;
    private string _phase = "verifying";

    public JobProgress(long total) => _total = total;

    /// <summary>A source of counters read at each beat (a hunt's own), instead of the ones set here.</summary>
    public Func<(long Done, long Total, long Records, long Detections)>? Sample { get; set; }

    public string Phase
    {
        get => Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, value);
    }

    public void AddDone(long bytes) => Interlocked.Add(ref _done, bytes);

    public void SetRecords(long records) => Interlocked.Exchange(ref _records, records);

    public (long Done, long Total, long Records, long Detections) Read() =>
        Sample?.Invoke() ?? (Interlocked.Read(ref _done), Interlocked.Read(ref _total), Interlocked.Read(ref _records), 0);
}

/// <summary>An evidence item as a job reads it: the row, and where its verified file lies in the store.</summary>
internal sealed record JobItem(EvidenceItem Item, string Path);

/// <summary>A sighting to record on an indicator of the store that a hunt matched.</summary>
internal sealed record IndicatorSighting(Guid IndicatorId, int Count, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen);

/// <summary>
/// What an analysis produced, before anything is stored: findings (their sharing columns are set from the job), a
/// custody note per item, the job's summary, and the sightings to record once the findings are committed.
/// </summary>
internal sealed record JobOutcome(List<Finding> Findings, string SummaryJson, string CustodyNote, List<IndicatorSighting> Sightings);

/// <summary>A stream that counts what is read through it into a job's progress and stops when the job is cancelled.</summary>
internal sealed class ProgressStream(Stream inner, JobProgress progress, CancellationToken cancellationToken) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var read = inner.Read(buffer);
        progress.AddDone(read);
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
