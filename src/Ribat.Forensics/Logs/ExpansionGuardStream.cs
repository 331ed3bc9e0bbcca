namespace Ribat.Forensics.Logs;

/// <summary>Bytes an archive has expanded to so far, shared by all its members and nested archives.</summary>
internal sealed class ExpansionBudget(long max)
{
    public long Max { get; } = max;

    public long Used { get; set; }
}

/// <summary>
/// Counts what a decompressing stream gives and stops it with <see cref="InvalidDataException"/> once its archive passes
/// the expansion cap, or the member passes the allowed ratio to its compressed size. Headers declare sizes, but a zip
/// bomb lies in them: only the bytes really produced are trusted.
/// </summary>
internal sealed class ExpansionGuardStream(Stream inner, string name, long compressedLength, ExpansionBudget budget, int maxRatio, Action<string, string> onTrip) : Stream
{
    private const long RatioFloor = 1024 * 1024;

    private long _produced;
    private bool _tripped;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _produced;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_tripped)
        {
            throw new InvalidDataException($"{name} was stopped at its expansion limit.");
        }

        var read = inner.Read(buffer);
        _produced += read;
        budget.Used += read;
        if (budget.Used > budget.Max)
        {
            Trip($"the archive expanded past {budget.Max:N0} bytes, the cap; the rest is not read (a zip bomb?).");
        }

        if (_produced > RatioFloor && _produced > Math.Max(compressedLength, 1) * maxRatio)
        {
            Trip($"expanded more than {maxRatio} times its compressed size of {compressedLength:N0} bytes; the rest is not read (a zip bomb?).");
        }

        return read;
    }

    private void Trip(string reason)
    {
        _tripped = true;
        onTrip(name, reason);
        throw new InvalidDataException(reason);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

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
