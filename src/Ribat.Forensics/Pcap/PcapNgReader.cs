using System.Buffers.Binary;

namespace Ribat.Forensics.Pcap;

/// <summary>
/// pcapng: blocks framed by a leading and trailing length. Each section (Section Header Block) sets the byte order
/// and starts a fresh list of interfaces; blocks this reader does not know are skipped by their length.
/// </summary>
internal sealed partial class PcapNgReader : CaptureReader
{
    public const uint SectionHeaderType = 0x0A0D0D0A;

    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const int MinimumBlockLength = 12;

    /// <summary>Beyond this a block that carries no packet is skipped unread rather than buffered.</summary>
    private const int MaxBufferedBlockLength = 1024 * 1024;

    /// <summary>A packet block holds the packet plus its header and options; more than this is not a real packet.</summary>
    private const int MaxPacketBlockLength = MaxCapturedLength + 64 * 1024;

    private readonly List<CaptureInterface> _interfaces = [];
    private bool _bigEndian;
    private long _lastTicks = DateTime.UnixEpoch.Ticks;

    private PcapNgReader(CaptureInput input)
        : base(input, CaptureFormat.PcapNg)
    {
    }

    public int SectionCount { get; private set; }

    public static CaptureOpenResult Open(CaptureInput input)
    {
        if (!input.Ensure(MinimumBlockLength))
        {
            return CaptureOpenResult.Failed("truncated pcapng: the file ends inside its first section header");
        }

        if (ReadByteOrder(input.Span(MinimumBlockLength)) is null)
        {
            return CaptureOpenResult.Failed("not a packet capture: pcapng section header without the 1a2b3c4d byte-order magic");
        }

        return CaptureOpenResult.Opened(new PcapNgReader(input));
    }

    private protected override bool TryReadNext(out CapturedPacket packet)
    {
        packet = default;
        // Each turn consumes one whole block or stops, so the loop always ends.
        while (!Input.AtEnd)
        {
            if (!Input.Ensure(MinimumBlockLength))
            {
                Anomalies.Add(CaptureAnomaly.TruncatedHeader);
                return false;
            }

            var head = Input.Span(MinimumBlockLength);
            var type = BinaryPrimitives.ReadUInt32LittleEndian(head);
            if (type == SectionHeaderType)
            {
                // The section's byte order must be known before its own length can be read.
                var bigEndian = ReadByteOrder(head);
                if (bigEndian is null)
                {
                    Anomalies.Add(CaptureAnomaly.BadSectionHeader);
                    return false;
                }

                _bigEndian = bigEndian.Value;
            }
            else
            {
                type = ReadUInt32(head);
            }

            var length = ReadUInt32(head[4..]);
            if (length < MinimumBlockLength || length % 4 != 0)
            {
                Anomalies.Add(CaptureAnomaly.CorruptBlockLength);
                return false;
            }

            if (!TryBufferBlock(type, length))
            {
                if (Stopped)
                {
                    return false;
                }

                continue;
            }

            var block = Input.Span((int)length);
            if (ReadUInt32(block[^4..]) != length)
            {
                Anomalies.Add(CaptureAnomaly.TrailingLengthMismatch);
            }

            if (TryReadBlock(type, block, out packet))
            {
                Input.Advance((int)length);
                return true;
            }

            Input.Advance((int)length);
        }

        return false;
    }

    /// <summary>
    /// Brings a whole block into the buffer, or skips one too large to hold; false when the block was skipped (or
    /// the file ended, which sets <see cref="CaptureReader.Stopped"/>).
    /// </summary>
    private bool TryBufferBlock(uint type, uint length)
    {
        var limit = IsPacketBlock(type) ? MaxPacketBlockLength : MaxBufferedBlockLength;
        if (length > limit)
        {
            if (IsPacketBlock(type))
            {
                Anomalies.Add(CaptureAnomaly.OversizedPacket);
            }

            if (!Input.Skip(length))
            {
                Anomalies.Add(CaptureAnomaly.BlockLengthPastEnd);
                Stopped = true;
            }

            return false;
        }

        if (!Input.Ensure((int)length))
        {
            Anomalies.Add(CaptureAnomaly.BlockLengthPastEnd);
            Stopped = true;
            return false;
        }

        return true;
    }

    private static bool? ReadByteOrder(ReadOnlySpan<byte> head)
    {
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
        return magic switch
        {
            ByteOrderMagic => false,
            0x4D3C2B1A => true,
            _ => null,
        };
    }

    private uint ReadUInt32(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);

    private ushort ReadUInt16(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);

    private ulong ReadUInt64(ReadOnlySpan<byte> span) =>
        _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(span) : BinaryPrimitives.ReadUInt64LittleEndian(span);
}
