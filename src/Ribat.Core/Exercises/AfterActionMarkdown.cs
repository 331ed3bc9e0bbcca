using System.Globalization;
using System.Text;

namespace Ribat.Core.Exercises;

/// <summary>The after-action report as Markdown: what was run, what happened when, and the response times.</summary>
public static class AfterActionMarkdown
{
    public static string Write(AfterActionReportDto report)
    {
        var e = report.Exercise;
        var md = new StringBuilder();
        var start = e.StartedAt;
        md.Append(CultureInfo.InvariantCulture, $"# After-action report: {Cell(e.Name)}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- Run: `{e.Id}` ({e.Status})\n");
        md.Append(CultureInfo.InvariantCulture, $"- Scenario SHA-256: `{e.ScenarioHash}`\n");
        md.Append(CultureInfo.InvariantCulture, $"- Started: {e.StartedAt:yyyy-MM-dd HH:mm:ss} UTC; ended: {(e.EndedAt is { } end ? end.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "still running")}\n");
        md.Append(CultureInfo.InvariantCulture, $"- Time scale: {e.TimeScale}; injects: {e.Injects}, failed: {e.Failed}\n\n");

        md.Append("## Timeline\n\n| at (since start) | planned | what | organisation | |\n|---|---|---|---|---|\n");
        foreach (var ev in report.Timeline)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {Offset(ev.At - start)} | {(ev.PlannedAt is { } p ? Offset(p - start) : string.Empty)} | {ev.Kind} | {Cell(ev.Organisation)} | {Cell(ev.Text)} |\n");
        }

        md.Append("\n## Response times\n\n");
        if (report.Overall.Count == 0)
        {
            md.Append("Nothing was measured: no incident of this run reached a recorded clock.\n");
            return md.ToString();
        }

        md.Append("| metric | group | count | median | mean | p90 |\n|---|---|---|---|---|---|\n");
        foreach (var s in report.Overall.Concat(report.ByOrganisation))
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {s.Metric} | {Cell(s.Group)} | {s.Count} | {Duration(s.MedianSeconds)} | {Duration(s.MeanSeconds)} | {Duration(s.P90Seconds)} |\n");
        }

        return md.ToString();
    }

    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:00}m{t.Seconds:00}s")
            : t.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}m{t.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Seconds}s");
    }

    private static string Offset(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{(t < TimeSpan.Zero ? "-" : "+")}{(int)Math.Abs(t.TotalHours):00}:{Math.Abs(t.Minutes):00}:{Math.Abs(t.Seconds):00}");

    // A table cell holds one line and no column separator, whatever a participant typed.
    private static string Cell(string? text) =>
        (text ?? string.Empty).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
