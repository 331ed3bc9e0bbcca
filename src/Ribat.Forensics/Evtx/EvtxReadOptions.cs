namespace Ribat.Forensics.Evtx;

/// <summary>How strictly chunks are checked, and how many cores parse them.</summary>
public sealed record EvtxReadOptions
{
    public static EvtxReadOptions Default { get; } = new();

    /// <summary>
    /// Skip a chunk whose header CRC32 or event-records CRC32 does not match (the default). Off, such a chunk is
    /// read anyway, up to its first record whose framing is broken — what libevtx's <c>evtxexport</c> does.
    /// </summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>Chunks parsed at the same time; records still come out in file order.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
