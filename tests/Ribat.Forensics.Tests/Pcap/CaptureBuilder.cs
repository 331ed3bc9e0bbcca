using System.Buffers.Binary;

namespace Ribat.Forensics.Tests.Pcap;

/// <summary>Writes small pcap and pcapng files and packets for the tests.</summary>
internal static class CaptureBuilder
{
    public static byte[] ClassicPcap(bool bigEndian, bool nanoseconds, int linkType, params (uint Seconds, uint Fraction, byte[] Data)[] packets)
    {
        var output = new List<byte>();
        U32(output, nanoseconds ? 0xA1B23C4D : 0xA1B2C3D4, bigEndian);
        U16(output, 2, bigEndian);
        U16(output, 4, bigEndian);
        U32(output, 0, bigEndian);
        U32(output, 0, bigEndian);
        U32(output, 65535, bigEndian);
        U32(output, (uint)linkType, bigEndian);
        foreach (var (seconds, fraction, data) in packets)
        {
            U32(output, seconds, bigEndian);
            U32(output, fraction, bigEndian);
            U32(output, (uint)data.Length, bigEndian);
            U32(output, (uint)data.Length, bigEndian);
            output.AddRange(data);
        }

        return [.. output];
    }

    public static byte[] SectionHeader(bool bigEndian = false) =>
        Block(0x0A0D0D0A, bigEndian, [.. Bytes(0x1A2B3C4D, bigEndian), .. Bytes16(1, bigEndian), .. Bytes16(0, bigEndian), .. new byte[8].Select(_ => (byte)0xFF)]);

    public static byte[] InterfaceDescription(int linkType, uint snapLength, byte? resolution = null, bool bigEndian = false)
    {
        var body = new List<byte>();
        body.AddRange(Bytes16((ushort)linkType, bigEndian));
        body.AddRange(Bytes16(0, bigEndian));
        body.AddRange(Bytes(snapLength, bigEndian));
        if (resolution is { } value)
        {
            body.AddRange(Bytes16(9, bigEndian));
            body.AddRange(Bytes16(1, bigEndian));
            body.AddRange([value, 0, 0, 0]);
            body.AddRange(new byte[4]);
        }

        return Block(1, bigEndian, [.. body]);
    }

    public static byte[] EnhancedPacket(uint interfaceIndex, ulong timestamp, byte[] data, uint? originalLength = null, bool bigEndian = false) =>
        Block(6, bigEndian, [
            .. Bytes(interfaceIndex, bigEndian), .. Bytes((uint)(timestamp >> 32), bigEndian), .. Bytes((uint)timestamp, bigEndian),
            .. Bytes((uint)data.Length, bigEndian), .. Bytes(originalLength ?? (uint)data.Length, bigEndian), .. Padded(data),
        ]);

    public static byte[] SimplePacket(byte[] data, bool bigEndian = false) =>
        Block(3, bigEndian, [.. Bytes((uint)data.Length, bigEndian), .. Padded(data)]);

    public static byte[] Block(uint type, bool bigEndian, byte[] body)
    {
        var length = (uint)(12 + body.Length);
        return [.. Bytes(type, bigEndian), .. Bytes(length, bigEndian), .. body, .. Bytes(length, bigEndian)];
    }

    public static byte[] Ethernet(ushort etherType, byte[] payload, params ushort[] vlanTags)
    {
        var frame = new List<byte>(new byte[12]);
        foreach (var tag in vlanTags)
        {
            frame.AddRange(Bytes16(0x8100, true));
            frame.AddRange(Bytes16(tag, true));
        }

        frame.AddRange(Bytes16(etherType, true));
        frame.AddRange(payload);
        return [.. frame];
    }

    public static byte[] IPv4(byte protocol, byte[] payload, ushort fragment = 0, byte ttl = 64, byte[]? source = null, byte[]? destination = null)
    {
        var header = new byte[20];
        header[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(20 + payload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), fragment);
        header[8] = ttl;
        header[9] = protocol;
        header[12..16].AsSpan().Clear();
        (source ?? [192, 0, 2, 1]).CopyTo(header, 12);
        (destination ?? [198, 51, 100, 7]).CopyTo(header, 16);
        return [.. header, .. payload];
    }

    public static byte[] IPv6(byte nextHeader, byte[] payload)
    {
        var header = new byte[40];
        header[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)payload.Length);
        header[6] = nextHeader;
        header[7] = 255;
        header[8] = 0x20;
        header[9] = 0x01;
        header[23] = 1;
        header[24] = 0x20;
        header[25] = 0x01;
        header[39] = 2;
        return [.. header, .. payload];
    }

    public static byte[] Udp(ushort source, ushort destination, int payloadLength)
    {
        var segment = new byte[8 + payloadLength];
        BinaryPrimitives.WriteUInt16BigEndian(segment, source);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), destination);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(4), (ushort)segment.Length);
        return segment;
    }

    public static byte[] Tcp(ushort source, ushort destination, byte flags)
    {
        var segment = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(segment, source);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), destination);
        segment[12] = 0x50;
        segment[13] = flags;
        return segment;
    }

    public static byte[] Bytes(uint value, bool bigEndian)
    {
        var bytes = new byte[4];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }

        return bytes;
    }

    private static byte[] Bytes16(ushort value, bool bigEndian)
    {
        var bytes = new byte[2];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        }

        return bytes;
    }

    private static void U32(List<byte> output, uint value, bool bigEndian) => output.AddRange(Bytes(value, bigEndian));

    private static void U16(List<byte> output, ushort value, bool bigEndian) => output.AddRange(Bytes16(value, bigEndian));

    private static byte[] Padded(byte[] data) => [.. data, .. new byte[(4 - (data.Length % 4)) % 4]];
}
