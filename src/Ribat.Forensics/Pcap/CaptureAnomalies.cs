namespace Ribat.Forensics.Pcap;

/// <summary>Counts of what was wrong with a capture, each with a fixed one-line reason.</summary>
public sealed class CaptureAnomalies
{
    private static readonly int KindCount = Enum.GetValues<CaptureAnomaly>().Length;

    private readonly long[] _counts = new long[KindCount];

    public long Total { get; private set; }

    public long this[CaptureAnomaly kind] => _counts[(int)kind];

    /// <summary>Kinds seen at least once, in enum order, with their counts and reasons.</summary>
    public IReadOnlyList<CaptureAnomalyCount> Summary()
    {
        var seen = new List<CaptureAnomalyCount>();
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] > 0)
            {
                var kind = (CaptureAnomaly)i;
                seen.Add(new CaptureAnomalyCount(kind, _counts[i], Reason(kind)));
            }
        }

        return seen;
    }

    internal void Add(CaptureAnomaly kind)
    {
        _counts[(int)kind]++;
        Total++;
    }

    public static string Reason(CaptureAnomaly kind) => kind switch
    {
        CaptureAnomaly.TruncatedHeader => "the file ends inside a record or block header",
        CaptureAnomaly.TruncatedPacket => "the file ends inside a packet's data",
        CaptureAnomaly.CorruptRecordLength => "a pcap record's captured length is impossible; the rest of the file cannot be framed",
        CaptureAnomaly.CorruptBlockLength => "a pcapng block length is smaller than its header or not a multiple of 4; the rest of the file cannot be framed",
        CaptureAnomaly.BlockLengthPastEnd => "a pcapng block length runs past the end of the file",
        CaptureAnomaly.TrailingLengthMismatch => "a pcapng block's trailing length differs from its leading length",
        CaptureAnomaly.OversizedPacket => "a packet's captured length exceeds the 256 KiB limit and was skipped",
        CaptureAnomaly.EmptyPacket => "a packet has no captured bytes",
        CaptureAnomaly.CapturedLongerThanOriginal => "a packet's captured length exceeds its original length",
        CaptureAnomaly.SnapTruncated => "a packet was cut by the snap length (captured < original)",
        CaptureAnomaly.UnsupportedLinkType => "a packet has a link type the decoder does not understand",
        CaptureAnomaly.UnknownInterface => "a packet names an interface not described in its section and was skipped",
        CaptureAnomaly.BadTimestampResolution => "an interface's if_tsresol is beyond 10^-19 or 2^-63; microseconds assumed",
        CaptureAnomaly.TimestampOutOfRange => "a timestamp falls outside what DateTimeOffset can hold and was clamped",
        CaptureAnomaly.PacketPastBlockEnd => "a pcapng packet's captured length runs past the end of its block; the block was skipped",
        CaptureAnomaly.BadSectionHeader => "a pcapng section header has no valid byte-order magic; the rest of the file cannot be read",
        _ => "unknown anomaly",
    };
}

public readonly record struct CaptureAnomalyCount(CaptureAnomaly Kind, long Count, string Reason);
