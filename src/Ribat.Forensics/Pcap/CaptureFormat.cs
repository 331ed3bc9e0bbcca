namespace Ribat.Forensics.Pcap;

/// <summary>The container a capture was written in, told apart by its magic number (never by its file name).</summary>
public enum CaptureFormat
{
    /// <summary>Classic libpcap, microsecond timestamps.</summary>
    PcapMicroseconds,

    /// <summary>Classic libpcap, nanosecond timestamps (magic a1b23c4d).</summary>
    PcapNanoseconds,

    /// <summary>pcapng: sections of blocks, one or more interfaces.</summary>
    PcapNg,
}
