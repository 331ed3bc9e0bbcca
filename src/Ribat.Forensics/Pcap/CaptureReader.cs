using System.Buffers.Binary;

namespace Ribat.Forensics.Pcap;

/// <summary>
/// Reads packets from a pcap or pcapng stream one at a time. Bad input is counted in <see cref="Anomalies"/>, never
/// thrown; reading stops (returns false) at the end or where the file can no longer be framed. The stream is not
/// disposed with the reader.
/// </summary>
public abstract class CaptureReader : IDisposable
{
    /// <summary>Larger captured lengths are refused as corrupt: no link type in use produces them.</summary>
    public const int MaxCapturedLength = 256 * 1024;

    private protected CaptureReader(CaptureInput input, CaptureFormat format)
    {
        Input = input;
        Format = format;
    }

    public CaptureFormat Format { get; }

    public CaptureAnomalies Anomalies { get; } = new();

    public long PacketCount { get; private set; }

    private protected CaptureInput Input { get; }

    private protected bool Stopped { get; set; }

    /// <summary>Recognises the format by its magic number and reads the file header; never throws on bad input.</summary>
    public static CaptureOpenResult Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var input = new CaptureInput(stream);
        if (!input.Ensure(4))
        {
            input.Dispose();
            return CaptureOpenResult.Failed("not a packet capture: the input is shorter than a magic number");
        }

        var magic = BinaryPrimitives.ReadUInt32BigEndian(input.Span(4));
        var result = magic switch
        {
            PcapNgReader.SectionHeaderType => PcapNgReader.Open(input),
            0xA1B2C3D4 or 0xD4C3B2A1 or 0xA1B23C4D or 0x4D3CB2A1 => ClassicPcapReader.Open(input, magic),
            _ => CaptureOpenResult.Failed($"not a packet capture: magic number {magic:x8} is neither pcap nor pcapng"),
        };
        if (!result.Succeeded)
        {
            input.Dispose();
        }

        return result;
    }

    /// <summary>The next packet, valid until the following call; false at the end.</summary>
    public bool TryRead(out CapturedPacket packet)
    {
        if (!Stopped && TryReadNext(out packet))
        {
            PacketCount++;
            return true;
        }

        Stopped = true;
        packet = default;
        return false;
    }

    public void Dispose()
    {
        Input.Dispose();
        GC.SuppressFinalize(this);
    }

    private protected abstract bool TryReadNext(out CapturedPacket packet);

    /// <summary>Counts what is odd about a packet that is still handed out.</summary>
    private protected void Inspect(uint captured, uint original, int linkType)
    {
        if (captured == 0)
        {
            Anomalies.Add(CaptureAnomaly.EmptyPacket);
        }

        if (captured > original)
        {
            Anomalies.Add(CaptureAnomaly.CapturedLongerThanOriginal);
        }
        else if (captured < original)
        {
            Anomalies.Add(CaptureAnomaly.SnapTruncated);
        }

        if (!LinkTypes.IsSupported(linkType))
        {
            Anomalies.Add(CaptureAnomaly.UnsupportedLinkType);
        }
    }
}
