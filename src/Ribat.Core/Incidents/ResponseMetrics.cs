using System.Globalization;

namespace Ribat.Core.Incidents;

/// <summary>The response clocks of one incident, as recorded; a duration is null until its end was recorded.</summary>
public sealed record IncidentClocks(
    Guid IncidentId,
    Guid LeadOrganisationId,
    DateTimeOffset ReportedAt,
    DateTimeOffset? FirstSharedAt,
    DateTimeOffset? ContainedAt,
    DateTimeOffset? ResolvedAt,
    bool Closed,
    IReadOnlyList<ParticipantClocks> Participants);

public sealed record ParticipantClocks(Guid OrganisationId, DateTimeOffset JoinedAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? FirstActionAt);

/// <summary>One measured duration, attributed to the organisation whose clock it is.</summary>
public sealed record Measurement(string Metric, Guid IncidentId, Guid OrganisationId, DateTimeOffset At, TimeSpan Duration);

/// <summary>Many measurements of one metric summarised; durations in seconds.</summary>
public sealed record MetricSummary(string Metric, string Group, int Count, double MedianSeconds, double MeanSeconds, double P90Seconds);

/// <summary>
/// The response-time metrics, computed only from recorded timestamps: time to acknowledge (a participant, from
/// being brought in to acknowledging), time to first share (the lead, from report to first participant), time to
/// act on a share (a participant, from being brought in to its first entry, task, sitrep or link), time to contain
/// and time to resolve (the lead, from report). Pure functions, tested with known times.
/// </summary>
public static class ResponseMetrics
{
    public const string Acknowledge = "time-to-acknowledge";
    public const string FirstShare = "time-to-first-share";
    public const string ActOnShare = "time-to-act-on-share";
    public const string Contain = "time-to-contain";
    public const string Resolve = "time-to-resolve";

    public static readonly IReadOnlyList<string> All = [Acknowledge, FirstShare, ActOnShare, Contain, Resolve];

    /// <summary>Every duration this incident's clocks give; negative durations (clock skew between nodes) count as zero.</summary>
    public static IEnumerable<Measurement> Measure(IncidentClocks i)
    {
        static TimeSpan NonNegative(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;

        if (i.FirstSharedAt is { } shared)
        {
            yield return new Measurement(FirstShare, i.IncidentId, i.LeadOrganisationId, i.ReportedAt, NonNegative(shared - i.ReportedAt));
        }

        if (i.ContainedAt is { } contained)
        {
            yield return new Measurement(Contain, i.IncidentId, i.LeadOrganisationId, i.ReportedAt, NonNegative(contained - i.ReportedAt));
        }

        if (i.Closed && i.ResolvedAt is { } resolved)
        {
            yield return new Measurement(Resolve, i.IncidentId, i.LeadOrganisationId, i.ReportedAt, NonNegative(resolved - i.ReportedAt));
        }

        foreach (var p in i.Participants)
        {
            if (p.AcknowledgedAt is { } acknowledged)
            {
                yield return new Measurement(Acknowledge, i.IncidentId, p.OrganisationId, p.JoinedAt, NonNegative(acknowledged - p.JoinedAt));
            }

            if (p.FirstActionAt is { } acted)
            {
                yield return new Measurement(ActOnShare, i.IncidentId, p.OrganisationId, p.JoinedAt, NonNegative(acted - p.JoinedAt));
            }
        }
    }

    /// <summary>Summaries per metric and per group; <paramref name="groupOf"/> names the group of a measurement.</summary>
    public static List<MetricSummary> Summarise(IEnumerable<Measurement> measurements, Func<Measurement, string> groupOf) =>
        measurements.GroupBy(m => (m.Metric, Group: groupOf(m)))
            .Select(g => Summary(g.Key.Metric, g.Key.Group, g.Select(m => m.Duration.TotalSeconds).ToList()))
            .OrderBy(s => All.ToList().IndexOf(s.Metric)).ThenBy(s => s.Group, StringComparer.Ordinal)
            .ToList();

    /// <summary>The period a measurement falls in: <c>2026-11</c> by month, <c>2026-W47</c> by ISO week, <c>2026-11-23</c> by day.</summary>
    public static string PeriodOf(DateTimeOffset at, string period) => period switch
    {
        "week" => $"{ISOWeek.GetYear(at.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(at.UtcDateTime):00}",
        "day" => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };

    public static MetricSummary Summary(string metric, string group, List<double> seconds)
    {
        seconds.Sort();
        return new MetricSummary(metric, group, seconds.Count, Percentile(seconds, 0.5), seconds.Count == 0 ? 0 : seconds.Average(), Percentile(seconds, 0.9));
    }

    /// <summary>Linear interpolation between the closest ranks, over sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
