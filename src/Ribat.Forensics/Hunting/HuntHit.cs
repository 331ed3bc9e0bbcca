using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Hunting;

/// <summary>What a row of a hunt's output is.</summary>
public enum HuntKind : byte
{
    /// <summary>A plain event of the timeline; <see cref="HuntHit.Matched"/> names what fired on it.</summary>
    Event,
    Sigma,
    Correlation,
    Ioc,
    Access,
}

/// <summary>
/// One row of a hunt: a detection (Sigma rule, correlation, indicator, unauthorized access) on the event it rests
/// on, or, in a timeline, one event. For a correlation <see cref="Event"/> is the last event of the group; for an
/// access finding it is made of the finding itself (account, source, first and last time, count) and names the first
/// piece of evidence as its file and record.
/// </summary>
public sealed record HuntHit(HuntKind Kind, LogEvent Event)
{
    public string? RuleId { get; init; }

    public string? RuleTitle { get; init; }

    /// <summary>Sigma's levels: informational, low, medium, high, critical.</summary>
    public string? Level { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>For an indicator hit: the indicator's canonical value, its type, its store id (when it came from the store) and the field it was found in.</summary>
    public string? Indicator { get; init; }

    public string? IndicatorType { get; init; }

    public string? IndicatorId { get; init; }

    public string? Field { get; init; }

    /// <summary>Events behind a correlation or access finding; 1 otherwise.</summary>
    public long EventCount { get; init; } = 1;

    /// <summary>A correlation's group-by values.</summary>
    public string? GroupKey { get; init; }

    /// <summary>In a timeline: the rule ids and indicators that fired on this event.</summary>
    public IReadOnlyList<string> Matched { get; init; } = [];
}

/// <summary>Sigma's severity levels in order; anything else ranks as informational.</summary>
public static class HuntLevels
{
    public static IReadOnlyList<string> All { get; } = ["informational", "low", "medium", "high", "critical"];

    public static int Rank(string? level) => level?.ToLowerInvariant() switch
    {
        "low" => 1,
        "medium" => 2,
        "high" => 3,
        "critical" => 4,
        _ => 0,
    };

    public static bool IsKnown(string? level) => level is not null && All.Contains(level.ToLowerInvariant());
}
