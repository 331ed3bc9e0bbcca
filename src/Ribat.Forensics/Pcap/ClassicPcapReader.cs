using System.Buffers.Binary;

namespace Ribat.Forensics.Pcap;

/// <summary>Classic libpcap: a 24-byte file header, then 16-byte record headers each followed by its data.</summary>
internal sealed class ClassicPcapReader : CaptureReader
{
    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;

    private readonly bool _bigEndian;
    private readonly ulong _unitsPerSecond;
    private readonly int _linkType;

    private ClassicPcapReader(CaptureInput input, bool bigEndian, bool nanoseconds, int linkType)
        : base(input, nanoseconds ? CaptureFormat.PcapNanoseconds : CaptureFormat.PcapMicroseconds)
    {
        _bigEndian = bigEndian;
        _unitsPerSecond = nanoseconds ? 1_000_000_000UL : 1_000_000UL;
        _linkType = linkType;
    }

    public int LinkType => _linkType;

    public static CaptureOpenResult Open(CaptureInput input, uint magicAsBigEndian)
    {
        if (!input.Ensure(FileHeaderLength))
        {
            return CaptureOpenResult.Failed("truncated pcap: the file ends inside its 24-byte header");
        }

        var bigEndian = magicAsBigEndian is 0xA1B2C3D4 or 0xA1B23C4D;
        var nanoseconds = magicAsBigEndian is 0xA1B23C4D or 0x4D3CB2A1;
        var header = input.Span(FileHeaderLength);
        // The upper bits of the link-type field carry FCS information, not the link type.
        var linkType = (int)(ReadUInt32(header[20..], bigEndian) & 0xFFFF);
        input.Advance(FileHeaderLength);
        return CaptureOpenResult.Opened(new ClassicPcapReader(input, bigEndian, nanoseconds, linkType));
    }

    private protected override bool TryReadNext(out CapturedPacket packet)
    {
        packet = default;
        if (Input.AtEnd)
        {
            return false;
        }

        if (!Input.Ensure(RecordHeaderLength))
        {
            Anomalies.Add(CaptureAnomaly.TruncatedHeader);
            return false;
        }

        var header = Input.Span(RecordHeaderLength);
        var seconds = ReadUInt32(header, _bigEndian);
        var fraction = ReadUInt32(header[4..], _bigEndian);
        var captured = ReadUInt32(header[8..], _bigEndian);
        var original = ReadUInt32(header[12..], _bigEndian);
        if (captured > MaxCapturedLength)
        {
            // Records have no resynchronisation marker, so nothing after an impossible length can be trusted.
            Anomalies.Add(CaptureAnomaly.CorruptRecordLength);
            return false;
        }

        var length = RecordHeaderLength + (int)captured;
        if (!Input.Ensure(length))
        {
            Anomalies.Add(CaptureAnomaly.TruncatedPacket);
            return false;
        }

        Inspect(captured, original, _linkType);
        var ticks = CaptureClock.ClassicTicks(seconds, fraction, _unitsPerSecond);
        packet = new CapturedPacket(ticks, original, Input.Memory(RecordHeaderLength, (int)captured), _linkType, 0);
        Input.Advance(length);
        return true;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> span, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
}
