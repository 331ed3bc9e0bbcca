namespace Ribat.Forensics.Pcap;

/// <summary>Something wrong with a capture that was counted instead of thrown.</summary>
public enum CaptureAnomaly
{
    TruncatedHeader,
    TruncatedPacket,
    CorruptRecordLength,
    CorruptBlockLength,
    BlockLengthPastEnd,
    TrailingLengthMismatch,
    OversizedPacket,
    EmptyPacket,
    CapturedLongerThanOriginal,
    SnapTruncated,
    UnsupportedLinkType,
    UnknownInterface,
    BadTimestampResolution,
    TimestampOutOfRange,
    PacketPastBlockEnd,
    BadSectionHeader,
}
