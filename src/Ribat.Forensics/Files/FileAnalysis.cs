using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Files;

public sealed record FileAnalysisOptions
{
    public static FileAnalysisOptions Default { get; } = new();

    public DigestKinds Digests { get; init; } = DigestKinds.All;

    /// <summary>Shortest printable run reported as a string (and searched for indicators).</summary>
    public int MinStringLength { get; init; } = 6;

    /// <summary>List the strings themselves, not only the indicators found in them.</summary>
    public bool ListStrings { get; init; }

    /// <summary>At most this many strings are listed; the rest are counted.</summary>
    public int MaxListedStrings { get; init; } = 100_000;

    public bool FindIndicators { get; init; } = true;

    /// <summary>
    /// At most this many leading bytes of a PE are kept for its parse; tables past them are reported as not read.
    /// </summary>
    public int MaxPeBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>The moment a compile time is compared with to call it "in the future".</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>An indicator found in a file's strings, at the offset of the string that holds it.</summary>
public sealed record FileIndicator(string Type, string Value, long Offset);

/// <param name="Count">Every string found, listed or not.</param>
/// <param name="Listed">The strings, when asked for; at most <see cref="FileAnalysisOptions.MaxListedStrings"/>.</param>
public sealed record FileStrings(long Count, IReadOnlyList<FoundString>? Listed, IReadOnlyList<FileIndicator> Indicators);

/// <param name="PeProblem">Why a file that starts with MZ could not be read as a PE (a DOS program, a broken header).</param>
public sealed record FileAnalysis(long Size, FileHashes Hashes, FileType Type, double Entropy, PeReport? Pe, string? PeProblem, FileStrings Strings);

/// <summary>Finds indicators in strings as they come, a batch of text at a time, each reported once.</summary>
internal sealed class StringIndicators
{
    private const int BatchChars = 1 << 20;

    private readonly System.Text.StringBuilder _batch = new();
    private readonly List<long> _offsets = [];
    private readonly HashSet<(ObservableType, string)> _seen = [];
    private readonly List<FileIndicator> _found = [];

    public IReadOnlyList<FileIndicator> Found => _found;

    public void Add(FoundString found)
    {
        _batch.Append(found.Value).Append('\n');
        _offsets.Add(found.Offset);
        if (_batch.Length >= BatchChars)
        {
            Flush();
        }
    }

    public void Flush()
    {
        if (_batch.Length == 0)
        {
            return;
        }

        var extraction = IocExtractor.Extract(_batch.ToString());
        foreach (var observable in extraction.Observables)
        {
            if (_seen.Add((observable.Type, observable.Canonical)))
            {
                var line = (int)Math.Clamp(observable.Line - 1, 0, _offsets.Count - 1);
                _found.Add(new FileIndicator(ObservableTypeNames.ToName(observable.Type), observable.Canonical, _offsets[line]));
            }
        }

        _batch.Clear();
        _offsets.Clear();
    }
}
