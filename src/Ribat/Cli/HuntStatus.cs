using System.Globalization;
using Ribat.Forensics.Detection;
using Ribat.Forensics.Hunting;

namespace Ribat.Cli;

/// <summary>The end-of-hunt summary on stderr: what was read, found, refused and skipped.</summary>
internal sealed class HuntStatus(SigmaLoadResult? rules, IndicatorSource indicators, bool verbose)
{
    private const int Listed = 10;

    public void Print(HuntSummary summary, IReadOnlyList<SigmaLoadFailure> correlationFailures, TextWriter error)
    {
        var formats = string.Join(", ", summary.EventsByFormat.OrderBy(p => p.Key).Select(p =>
            F($"{p.Key.ToString().ToLowerInvariant()} {p.Value:N0} in {summary.LogsByFormat.GetValueOrDefault(p.Key):N0} log(s)")));
        error.WriteLine(F($"hunt: {summary.Files:N0} file(s), {summary.Logs:N0} log(s) read, {summary.EventsRead:N0} events") + (formats.Length > 0 ? $" ({formats})" : ""));
        var kinds = string.Join(", ", summary.DetectionsByKind.OrderBy(p => p.Key).Select(p => F($"{p.Key.ToString().ToLowerInvariant()} {p.Value:N0}")));
        var levels = string.Join(", ", HuntLevels.All.Reverse().Where(summary.DetectionsByLevel.ContainsKey).Select(l => F($"{l} {summary.DetectionsByLevel[l]:N0}")));
        error.WriteLine(F($"detections: {summary.Detections:N0}") + (kinds.Length > 0 ? $" ({kinds})" : "") + (levels.Length > 0 ? $"; Sigma by level: {levels}" : "")
            + F($"; {summary.Reported:N0} reported"));
        PrintRules(correlationFailures, error);
        if (indicators.Set is { } set)
        {
            error.WriteLine(F($"indicators: {set.Count:N0} loaded, {indicators.Problems.Count:N0} refused") + (indicators.LeftOut > 0 ? F($", {indicators.LeftOut:N0} store rows left out (type not in logs, false positive, expired or warning-listed)") : ""));
            List("indicator refused", indicators.Problems.Select(p => F($"line {p.Line}: {p.Reason}")).ToList(), error);
        }

        if (summary.LogonAttempts > 0)
        {
            error.WriteLine(F($"access: {summary.LogonAttempts:N0} logon attempts checked"));
        }

        List("unreadable", summary.Unreadable.Select(p => $"{p.Name}: {p.Reason}").ToList(), error);
        List("stopped early", summary.Stopped.Select(p => $"{p.Name}: {p.Reason}").ToList(), error);
        foreach (var (reason, count) in summary.Skipped.OrderByDescending(p => p.Value))
        {
            error.WriteLine(F($"skipped: {count:N0} × {reason}"));
        }

        foreach (var damage in summary.EvtxDamage)
        {
            error.WriteLine(F($"damaged EVTX: {damage.Name}: {damage.DamagedChunks} of {damage.Chunks} chunk(s) damaged, {damage.RecordsSkipped:N0} record(s) skipped"));
        }

        if (summary.CorrelationUntimed > 0)
        {
            error.WriteLine(F($"correlations: {summary.CorrelationUntimed:N0} detection(s) without a time could not be placed in a window"));
        }
    }

    private void PrintRules(IReadOnlyList<SigmaLoadFailure> correlationFailures, TextWriter error)
    {
        if (rules is null)
        {
            return;
        }

        var refused = rules.Failures.Concat(correlationFailures).Select(f => $"{f.Source}: {f.Reason}").ToList();
        error.WriteLine(F($"rules: {rules.Rules.Count:N0} loaded, {rules.Correlations.Count - correlationFailures.Count:N0} correlation(s), {refused.Count:N0} refused"));
        List("rule refused", refused, error);
    }

    /// <summary>Each entry with --verbose or when there are few; otherwise the first few and a count.</summary>
    private void List(string label, List<string> entries, TextWriter error)
    {
        var shown = verbose ? entries.Count : Math.Min(entries.Count, Listed);
        for (var i = 0; i < shown; i++)
        {
            error.WriteLine($"{label}: {entries[i]}");
        }

        if (shown < entries.Count)
        {
            error.WriteLine(F($"{label}: {entries.Count - shown:N0} more (--verbose lists them all)"));
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
