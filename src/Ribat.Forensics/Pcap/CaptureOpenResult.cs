namespace Ribat.Forensics.Pcap;

/// <summary>Either a reader positioned at the first packet, or one line saying why the input is not a capture.</summary>
public sealed class CaptureOpenResult
{
    private CaptureOpenResult(CaptureReader? reader, string? error)
    {
        Reader = reader;
        Error = error;
    }

    public CaptureReader? Reader { get; }

    public string? Error { get; }

    public bool Succeeded => Reader is not null;

    internal static CaptureOpenResult Opened(CaptureReader reader) => new(reader, null);

    internal static CaptureOpenResult Failed(string error) => new(null, error);
}
