using System.Buffers.Binary;

namespace Ribat.Forensics.Pcap;

internal sealed partial class PcapNgReader
{
    private const uint InterfaceDescriptionType = 1;
    private const uint ObsoletePacketType = 2;
    private const uint SimplePacketType = 3;
    private const uint EnhancedPacketType = 6;
    private const ushort EndOfOptions = 0;
    private const ushort TimestampResolutionOption = 9;
    private const ushort TimestampOffsetOption = 14;
    private const ulong Microseconds = 1_000_000;

    private static bool IsPacketBlock(uint type) =>
        type is EnhancedPacketType or SimplePacketType or ObsoletePacketType;

    /// <summary>Interprets one buffered block; true when it yielded a packet.</summary>
    private bool TryReadBlock(uint type, ReadOnlySpan<byte> block, out CapturedPacket packet)
    {
        packet = default;
        switch (type)
        {
            case SectionHeaderType:
                SectionCount++;
                _interfaces.Clear();
                return false;
            case InterfaceDescriptionType:
                ReadInterface(block);
                return false;
            case EnhancedPacketType:
                return TryReadTimedPacket((int)ReadUInt32(block[8..]), block, out packet);
            case ObsoletePacketType:
                return TryReadTimedPacket(ReadUInt16(block[8..]), block, out packet);
            case SimplePacketType:
                return TryReadSimplePacket(block, out packet);
            default:
                return false;
        }
    }

    private void ReadInterface(ReadOnlySpan<byte> block)
    {
        if (block.Length < 20)
        {
            Anomalies.Add(CaptureAnomaly.PacketPastBlockEnd);
            return;
        }

        var linkType = ReadUInt16(block[8..]);
        var snapLength = ReadUInt32(block[12..]);
        var unitsPerSecond = Microseconds;
        var offsetSeconds = 0L;
        var options = block[16..^4];
        // Every option advances by at least its 4-byte header, so the walk ends.
        while (options.Length >= 4)
        {
            var code = ReadUInt16(options);
            var valueLength = ReadUInt16(options[2..]);
            if (code == EndOfOptions || 4 + valueLength > options.Length)
            {
                break;
            }

            var value = options.Slice(4, valueLength);
            if (code == TimestampResolutionOption && valueLength >= 1)
            {
                var units = CaptureClock.UnitsPerSecond(value[0]);
                if (units is null)
                {
                    Anomalies.Add(CaptureAnomaly.BadTimestampResolution);
                }

                unitsPerSecond = units ?? Microseconds;
            }
            else if (code == TimestampOffsetOption && valueLength >= 8)
            {
                offsetSeconds = (long)ReadUInt64(value);
            }

            options = options[Math.Min(options.Length, 4 + ((valueLength + 3) & ~3))..];
        }

        _interfaces.Add(new CaptureInterface(linkType, snapLength, unitsPerSecond, offsetSeconds));
    }

    /// <summary>Enhanced and obsolete packet blocks share one layout after the interface id.</summary>
    private bool TryReadTimedPacket(int interfaceIndex, ReadOnlySpan<byte> block, out CapturedPacket packet)
    {
        packet = default;
        const int DataOffset = 28;
        if (block.Length < DataOffset + 4)
        {
            Anomalies.Add(CaptureAnomaly.PacketPastBlockEnd);
            return false;
        }

        var captured = ReadUInt32(block[20..]);
        var original = ReadUInt32(block[24..]);
        if (captured > (uint)(block.Length - DataOffset - 4))
        {
            Anomalies.Add(CaptureAnomaly.PacketPastBlockEnd);
            return false;
        }

        if (captured > MaxCapturedLength)
        {
            Anomalies.Add(CaptureAnomaly.OversizedPacket);
            return false;
        }

        if ((uint)interfaceIndex >= (uint)_interfaces.Count)
        {
            Anomalies.Add(CaptureAnomaly.UnknownInterface);
            return false;
        }

        var face = _interfaces[interfaceIndex];
        var units = ((ulong)ReadUInt32(block[12..]) << 32) | ReadUInt32(block[16..]);
        if (!CaptureClock.TryToTicks(units, face.UnitsPerSecond, face.OffsetSeconds, out var ticks))
        {
            Anomalies.Add(CaptureAnomaly.TimestampOutOfRange);
        }

        _lastTicks = ticks;
        Inspect(captured, original, face.LinkType);
        packet = new CapturedPacket(ticks, original, Input.Memory(DataOffset, (int)captured), face.LinkType, interfaceIndex);
        return true;
    }

    /// <summary>
    /// A simple packet block has no interface id, no captured length and no time: it belongs to interface 0, is cut
    /// at that interface's snap length, and is given the time of the packet before it.
    /// </summary>
    private bool TryReadSimplePacket(ReadOnlySpan<byte> block, out CapturedPacket packet)
    {
        packet = default;
        const int DataOffset = 12;
        if (block.Length < DataOffset + 4)
        {
            Anomalies.Add(CaptureAnomaly.PacketPastBlockEnd);
            return false;
        }

        if (_interfaces.Count == 0)
        {
            Anomalies.Add(CaptureAnomaly.UnknownInterface);
            return false;
        }

        var face = _interfaces[0];
        var original = ReadUInt32(block[8..]);
        var captured = Math.Min(original, (uint)(block.Length - DataOffset - 4));
        if (face.SnapLength > 0)
        {
            captured = Math.Min(captured, face.SnapLength);
        }

        if (captured > MaxCapturedLength)
        {
            Anomalies.Add(CaptureAnomaly.OversizedPacket);
            return false;
        }

        Inspect(captured, original, face.LinkType);
        packet = new CapturedPacket(_lastTicks, original, Input.Memory(DataOffset, (int)captured), face.LinkType, 0);
        return true;
    }

    private readonly record struct CaptureInterface(int LinkType, uint SnapLength, ulong UnitsPerSecond, long OffsetSeconds);
}
