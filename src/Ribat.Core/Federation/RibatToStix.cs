using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Stix.Model;
using StixIndicator = Ribat.Stix.Model.Indicator;
using StixReport = Ribat.Stix.Model.Report;
using StixSighting = Ribat.Stix.Model.Sighting;

namespace Ribat.Core.Federation;

/// <summary>
/// Ribat's own objects as STIX 2.1: an indicator is an <c>indicator</c> (a pattern built from the typed value, or the
/// rule itself with the rule language as <c>pattern_type</c>) plus the cyber-observable it names; a report a
/// <c>report</c> over its indicators; a sighting a <c>sighting</c> of its indicator. Every object carries its terms:
/// the TLP 2.0 marking and Ribat's extension. STIX ids reuse the Ribat ids, so versions of one object share one id.
/// </summary>
internal static class RibatToStix
{
    public static string IndicatorId(Guid id) => $"indicator--{id:D}";

    public static string ReportId(Guid id) => $"report--{id:D}";

    public static string SightingId(Guid id) => $"sighting--{id:D}";

    public static IEnumerable<StixObject> Indicator(Indicators.Indicator row, SharingTerms terms)
    {
        yield return IndicatorObject(row, terms);
        if (Observable(row, terms) is { } observable)
        {
            yield return observable;
        }
    }

    /// <summary>The <c>indicator</c> of <paramref name="row"/> as it stands, under <paramref name="terms"/>.</summary>
    public static StixIndicator IndicatorObject(Indicators.Indicator row, SharingTerms terms)
    {
        var rule = RuleTypes.IsRule(row.Type);
        var validFrom = Time(row.ValidFrom ?? row.CreatedAt);
        var indicator = new StixIndicator
        {
            SpecVersion = StixVersion.Current,
            Id = IndicatorId(row.Id),
            Created = Time(row.CreatedAt),
            Modified = Time(row.UpdatedAt),
            Name = row.Display,
            Description = row.Comment,
            IndicatorTypes = [row.FalsePositive ? "benign" : "malicious-activity"],
            Pattern = rule ? row.Pattern : StixObservableMap.Pattern(row.Type, row.Value),
            PatternType = rule ? row.Type : "stix",
            PatternVersion = rule ? null : StixVersion.Current,
            ValidFrom = validFrom,
            ValidUntil = row.ValidUntil is { } until && Time(until) > validFrom ? Time(until) : null,
            Confidence = row.Confidence,
            Labels = row.Tags.Count > 0 ? [.. row.Tags] : null,
        };
        RibatStixExtension.Apply(indicator, terms);
        return indicator;
    }

    /// <summary>
    /// The cyber-observable <paramref name="row"/> names, under <paramref name="terms"/>; none for a rule or a type STIX
    /// has no observable for. <paramref name="knownId"/> is its id when a stored version already holds it.
    /// </summary>
    public static StixCyberObservable? Observable(Indicators.Indicator row, SharingTerms terms, string? knownId = null)
    {
        if (RuleTypes.IsRule(row.Type) || StixObservableMap.Observable(row.Type, row.Value, knownId) is not { } observable)
        {
            return null;
        }

        RibatStixExtension.Apply(observable, terms);
        return observable;
    }

    /// <summary>The <c>modified</c> an indicator's STIX version has while <paramref name="row"/> stands as it is.</summary>
    public static string IndicatorVersion(Indicators.Indicator row) => Time(row.UpdatedAt).ToString();

    /// <summary>The report over <paramref name="indicatorIds"/>; null while it holds none (STIX requires one reference at least).</summary>
    public static StixReport? Report(IntelligenceReport row, SharingTerms terms, IReadOnlyList<Guid> indicatorIds)
    {
        if (indicatorIds.Count == 0)
        {
            return null;
        }

        var report = new StixReport
        {
            SpecVersion = StixVersion.Current,
            Id = ReportId(row.Id),
            Created = Time(row.CreatedAt),
            Modified = Time(row.UpdatedAt),
            Name = row.Title,
            Description = row.Description,
            ReportTypes = ["threat-report"],
            Published = Time(row.CreatedAt),
            ObjectRefs = indicatorIds.Select(IndicatorId).ToList(),
            Labels = row.Tags.Count > 0 ? [.. row.Tags] : null,
        };
        RibatStixExtension.Apply(report, terms);
        return report;
    }

    public static StixSighting Sighting(Indicators.Sighting row, SharingTerms terms)
    {
        var sighting = new StixSighting
        {
            SpecVersion = StixVersion.Current,
            Id = SightingId(row.Id),
            Created = Time(row.CreatedAt),
            Modified = Time(row.CreatedAt),
            Description = row.Comment,
            FirstSeen = Time(row.FirstSeenAt),
            LastSeen = Time(row.LastSeenAt),
            Count = row.Count,
            SightingOfRef = IndicatorId(row.IndicatorId),
        };
        if (row.Kind == SightingKind.FalsePositive)
        {
            (sighting.Custom ??= [])["x_ribat_false_positive"] = System.Text.Json.JsonSerializer.SerializeToElement(true, ExtensionJson.Default.Boolean);
        }

        RibatStixExtension.Apply(sighting, terms);
        return sighting;
    }

    private static StixTimestamp Time(DateTimeOffset instant) => StixTimestamp.FromDateTime(instant.UtcDateTime, 3);
}
