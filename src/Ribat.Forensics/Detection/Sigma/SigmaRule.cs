using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Detection;

/// <summary>Which logs a rule applies to, as it says it (Sigma's log source taxonomy); any part may be absent.</summary>
public sealed record SigmaLogSource(string? Product, string? Category, string? Service);

/// <summary>
/// A Sigma detection rule that loaded: its metadata and its detection, kept as parsed so the rule set can compile it
/// once per field naming its log sources use.
/// </summary>
public sealed class SigmaRule
{
    internal SigmaRule(string id, string title, string? name, string? level, string? status, IReadOnlyList<string> tags, SigmaLogSource logSource,
        string source, YamlMapping detection)
    {
        Id = id;
        Title = title;
        Name = name;
        Level = level;
        Status = status;
        Tags = tags;
        LogSource = logSource;
        Source = source;
        Detection = detection;
    }

    /// <summary>The rule's <c>id</c>; a rule without one gets a stable id derived from its source.</summary>
    public string Id { get; }

    public string Title { get; }

    /// <summary>The optional <c>name</c> correlation rules may use instead of the id.</summary>
    public string? Name { get; }

    public string? Level { get; }

    public string? Status { get; }

    public IReadOnlyList<string> Tags { get; }

    public SigmaLogSource LogSource { get; }

    /// <summary>Where the rule came from (a file path, or what the caller named it).</summary>
    public string Source { get; }

    internal YamlMapping Detection { get; }
}

/// <summary>
/// A rule that fired: on one event (<see cref="Event"/>), or, for a correlation rule, on a group of events
/// (<see cref="EventCount"/> of them, the first few kept in <see cref="Events"/>, with <see cref="GroupKey"/> the
/// group-by values).
/// </summary>
public sealed record SigmaDetection(
    string RuleId,
    string Title,
    string? Level,
    IReadOnlyList<string> Tags,
    LogEvent Event,
    int EventCount = 1,
    IReadOnlyList<LogEvent>? Events = null,
    string? GroupKey = null)
{
    public bool IsCorrelation => Events is not null;
}

/// <summary>A rule text that did not load, and why (one sentence, with the line and column when there is one).</summary>
public sealed record SigmaLoadFailure(string Source, string Reason);
