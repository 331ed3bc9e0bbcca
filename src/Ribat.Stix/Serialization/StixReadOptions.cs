namespace Ribat.Stix.Serialization;

/// <summary>Limits that keep hostile input from costing more than it is worth. Exceeding one is an error, not a crash.</summary>
public sealed record StixReadOptions
{
    public const int DefaultMaxDepth = 64;

    /// <summary>Deepest JSON nesting accepted (ATT&amp;CK needs 6; the spec's examples fewer).</summary>
    public int MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>Largest document accepted, in bytes.</summary>
    public long MaxBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Most objects read from one bundle.</summary>
    public int MaxObjects { get; init; } = 1_000_000;

    public static StixReadOptions Default { get; } = new();
}
