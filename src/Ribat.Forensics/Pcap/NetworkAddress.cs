using System.Buffers.Binary;

namespace Ribat.Forensics.Pcap;

/// <summary>An IPv4 or IPv6 address as 128 bits, so a packet's addresses cost no allocation.</summary>
public readonly record struct NetworkAddress(UInt128 Value, bool IsIPv4)
{
    public static NetworkAddress FromIPv4(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(bytes), true);

    public static NetworkAddress FromIPv6(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(bytes), false);

    /// <summary>Allocates; for display and reports, not for the per-packet path.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[16];
        if (IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Value);
            return new System.Net.IPAddress(bytes[..4]).ToString();
        }

        BinaryPrimitives.WriteUInt128BigEndian(bytes, Value);
        return new System.Net.IPAddress(bytes).ToString();
    }
}
