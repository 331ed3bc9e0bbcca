namespace Ribat.Forensics.Pcap;

/// <summary>
/// What one or more captures held, for a person judging an attack: totals, rate over time, who sent and received the
/// most, the protocol mix, and what was wrong with the files. Built by <see cref="TrafficTally"/>.
/// </summary>
public sealed record TrafficSummary
{
    public required long Packets { get; init; }

    /// <summary>Sum of original (on-the-wire) lengths, so a snap length does not shrink the volume.</summary>
    public required long Bytes { get; init; }

    /// <summary>The earliest packet's time (UTC), null when there were no packets.</summary>
    public required DateTimeOffset? FirstTimestamp { get; init; }

    public required DateTimeOffset? LastTimestamp { get; init; }

    public required double DurationSeconds { get; init; }

    /// <summary>
    /// The interval of <see cref="Series"/>: the one asked for, or the round step chosen from the duration when none
    /// was (<see cref="IntervalIsAutomatic"/>), or wider when the captures spanned too many.
    /// </summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>Whether <see cref="Interval"/> was chosen from the duration rather than asked for.</summary>
    public bool IntervalIsAutomatic { get; init; }

    public required IReadOnlyList<TrafficInterval> Series { get; init; }

    /// <summary>Packets per second in the interval with the most packets (its count divided by the interval length).</summary>
    public required double PeakPacketsPerSecond { get; init; }

    /// <summary>Bits per second in the interval with the most bytes (its bytes × 8 divided by the interval length).</summary>
    public required double PeakBitsPerSecond { get; init; }

    public required IReadOnlyList<AddressTraffic> TopSources { get; init; }

    public required IReadOnlyList<AddressTraffic> TopDestinations { get; init; }

    public required int DistinctSources { get; init; }

    public required int DistinctDestinations { get; init; }

    public required TrafficProtocols Protocols { get; init; }

    /// <summary>Attack vectors past the reporting thresholds, most bytes first.</summary>
    public required IReadOnlyList<AttackVector> Vectors { get; init; }

    /// <summary>Top sources of the reported reflection vectors, most bytes first.</summary>
    public required IReadOnlyList<Reflector> Reflectors { get; init; }

    /// <summary>Destination prefixes hit across many addresses at once, most bytes first; empty when none.</summary>
    public required IReadOnlyList<CarpetBombing> CarpetBombing { get; init; }

    public required SpoofingSigns Spoofing { get; init; }

    /// <summary>Anomalies of every capture read, summed by kind.</summary>
    public required IReadOnlyList<CaptureAnomalyCount> Anomalies { get; init; }

    public required IReadOnlyList<CaptureFileTraffic> Files { get; init; }

    /// <summary>One-line remarks on how the figures were bounded (a widened interval, a very large address table).</summary>
    public required IReadOnlyList<string> Notes { get; init; }
}

/// <summary>One capture's part in a summary; <see cref="Name"/> is whatever the caller called it.</summary>
public sealed record CaptureFileTraffic(string Name, CaptureFormat Format, long Packets);
