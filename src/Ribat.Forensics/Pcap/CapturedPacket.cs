namespace Ribat.Forensics.Pcap;

/// <summary>
/// One packet as the capture recorded it. <see cref="Data"/> points into the reader's pooled buffer and is valid only
/// until the next read; copy it to keep it.
/// </summary>
public readonly struct CapturedPacket
{
    public CapturedPacket(long timestampTicks, uint originalLength, ReadOnlyMemory<byte> data, int linkType, int interfaceIndex)
    {
        TimestampTicks = timestampTicks;
        OriginalLength = originalLength;
        Data = data;
        LinkType = linkType;
        InterfaceIndex = interfaceIndex;
    }

    /// <summary>UTC time in .NET ticks (100 ns), the finest precision a <see cref="DateTimeOffset"/> holds.</summary>
    public long TimestampTicks { get; }

    public DateTimeOffset Timestamp => new(TimestampTicks, TimeSpan.Zero);

    /// <summary>Length on the wire; larger than <see cref="CapturedLength"/> when the snap length cut the packet.</summary>
    public uint OriginalLength { get; }

    public ReadOnlyMemory<byte> Data { get; }

    public int CapturedLength => Data.Length;

    public bool IsSnapTruncated => (uint)Data.Length < OriginalLength;

    public int LinkType { get; }

    /// <summary>pcapng interface index within its section; always 0 for classic pcap.</summary>
    public int InterfaceIndex { get; }
}
