using ScottPlot;

namespace Ribat.Core.CaseWork;

/// <summary>One chart of a court report: its caption (in the reader's language), the picture as PNG, and what its colours mean.</summary>
public sealed record CourtReportChart(string Caption, byte[] Png, IReadOnlyList<ChartKey> Legend);

/// <summary>A colour of a chart (red, green, blue) and what it stands for.</summary>
public sealed record ChartKey(string Label, byte Red, byte Green, byte Blue)
{
    public string Hex => $"#{Red:X2}{Green:X2}{Blue:X2}";
}

/// <summary>
/// The pictures of a court report: evidence acquired over time (a running count) and timeline activity per period,
/// one bar per kind of line stacked. Captions and legends are written by the report around the picture, in the
/// reader's language and script; the picture itself carries only numbers and dates.
/// </summary>
internal static class CourtReportCharts
{
    public const int Width = 1000;
    public const int Height = 380;

    private static readonly Color[] KindColours = [Colors.SteelBlue, Colors.DarkOrange, Colors.SeaGreen];

    public static IReadOnlyList<CourtReportChart> Draw(CourtReportContent report, Func<string, string> text)
    {
        var charts = new List<CourtReportChart>(2);
        if (report.Evidence.Count > 0)
        {
            charts.Add(new CourtReportChart(text("report.chart.evidence"), Evidence(report), [Key(text("report.chart.acquired"), Colors.SteelBlue)]));
        }

        if (report.Timeline.Count > 0)
        {
            var legend = ReadCaseTimeline.Kinds.Select((k, i) => Key(text($"casework.kind.{k}"), KindColours[i])).ToList();
            charts.Add(new CourtReportChart(text("report.chart.activity"), Activity(report), legend));
        }

        return charts;
    }

    private static ChartKey Key(string label, Color colour) => new(label, colour.R, colour.G, colour.B);

    private static byte[] Evidence(CourtReportContent report)
    {
        using var plot = new Plot();
        var times = report.Evidence.Select(e => e.Item.Acquisition.AcquiredAt.UtcDateTime).Order().ToList();
        var xs = times.Select(t => t.ToOADate()).Append(times[^1].ToOADate() + Math.Max(1.0 / 24, (times[^1] - times[0]).TotalDays / 20)).ToArray();
        var ys = Enumerable.Range(1, times.Count).Select(n => (double)n).Append(times.Count).ToArray();
        var line = plot.Add.Scatter(xs, ys);
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.MarkerSize = 4;
        line.LineWidth = 2;
        line.Color = Colors.SteelBlue;
        plot.Axes.DateTimeTicksBottom();
        plot.Axes.SetLimitsY(0, times.Count * 1.1 + 1);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static byte[] Activity(CourtReportContent report)
    {
        using var plot = new Plot();
        var first = report.Timeline.Min(l => l.OccurredAt).UtcDateTime.Date;
        var last = report.Timeline.Max(l => l.OccurredAt).UtcDateTime.Date;
        var span = (last - first).TotalDays + 1;

        // At most about sixty bars, whatever the case's length: days, then weeks, then thirty-day periods.
        var width = span <= 60 ? 1 : span <= 420 ? 7 : Math.Ceiling(span / 60 / 30) * 30;
        var buckets = report.Timeline
            .GroupBy(l => (Bucket: Math.Floor((l.OccurredAt.UtcDateTime - first).TotalDays / width), Kind: ReadCaseTimeline.Kinds.ToList().IndexOf(l.Kind)))
            .ToDictionary(g => g.Key, g => g.Count());
        var bars = new List<Bar>();
        foreach (var bucket in buckets.Keys.Select(k => k.Bucket).Distinct())
        {
            double bottom = 0;
            for (var kind = 0; kind < ReadCaseTimeline.Kinds.Count; kind++)
            {
                if (buckets.TryGetValue((bucket, kind), out var count))
                {
                    bars.Add(new Bar
                    {
                        Position = first.AddDays((bucket + 0.5) * width).ToOADate(),
                        ValueBase = bottom,
                        Value = bottom + count,
                        Size = width * 0.8,
                        FillColor = KindColours[kind],
                    });
                    bottom += count;
                }
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Margins(bottom: 0);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
