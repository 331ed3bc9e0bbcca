namespace Ribat.Forensics.Exchange;

/// <summary>Limits for reading MISP JSON. Every limit answers with a one-line message naming it, never a crash.</summary>
public sealed record MispReadOptions
{
    public static MispReadOptions Default { get; } = new();

    /// <summary>The whole input is held in memory while it is read, so it is refused beyond this size.</summary>
    public long MaxInputBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Attributes in one event, counting those inside objects.</summary>
    public int MaxAttributesPerEvent { get; init; } = 1_000_000;

    /// <summary>JSON nesting; a real MISP event is about eight levels deep.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>A string field Ribat reads (value, comment, tag...) longer than this is reported and ignored.</summary>
    public int MaxStringBytes { get; init; } = 1024 * 1024;

    /// <summary>Issues and skipped entries listed one by one; beyond this they are only counted.</summary>
    public int MaxIssues { get; init; } = 10_000;
}
