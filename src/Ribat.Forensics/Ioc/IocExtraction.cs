namespace Ribat.Forensics.Ioc;

/// <summary>One observable found in text. <see cref="Line"/> and <see cref="Column"/> are 1-based, in UTF-16 units of
/// the original line; <see cref="Original"/> is the text as written there (still defanged, if it was).</summary>
public sealed record ExtractedObservable(ObservableType Type, string Canonical, string Display, long Line, int Column, string Original);

/// <summary>A line the extractor did not read, with why.</summary>
public sealed record SkippedLine(long Line, long Length, string Reason);

public sealed record IocExtraction(IReadOnlyList<ExtractedObservable> Observables, IReadOnlyList<SkippedLine> Skipped, long Lines);

public sealed record IocExtractorOptions
{
    public static IocExtractorOptions Default { get; } = new();

    /// <summary>A line longer than this (in characters) is skipped and reported, never held whole.</summary>
    public int MaxLineLength { get; init; } = 1024 * 1024;

    /// <summary>Undo <c>hxxp</c>, <c>[.]</c> and friends before scanning.</summary>
    public bool Refang { get; init; } = true;

    /// <summary>Also report the host of every URL as its own domain or IP observable.</summary>
    public bool IncludeUrlHosts { get; init; } = true;

    /// <summary>Only these types are reported; <c>null</c> means all.</summary>
    public IReadOnlySet<ObservableType>? Types { get; init; }

    /// <summary>Stop collecting after this many distinct observables (protects against hostile input).</summary>
    public int MaxObservables { get; init; } = 100_000;
}
