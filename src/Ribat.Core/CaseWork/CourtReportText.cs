using System.Globalization;
using Ribat.Core.Evidence;
using Ribat.Core.Findings;

namespace Ribat.Core.CaseWork;

/// <summary>The words of the court report, shared by its PDF and its HTML so both say exactly the same.</summary>
internal static class CourtReportText
{
    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static IEnumerable<(string Label, string? Value)> Summary(CourtReportContent report, Func<string, string> text)
    {
        var c = report.Case;
        yield return (text("report.caseId"), c.Id.ToString());
        yield return (text("case.status"), text($"case.status.{c.Status}") + (c.StatusReason is { } reason ? $" — {reason}" : string.Empty));
        yield return (text("case.offences"), string.Join(", ", c.Offences.Select(o => text($"offence.{o}")).Concat(c.NationalCategories)));
        yield return (text("case.lead"), c.LeadInvestigator.Name ?? c.LeadInvestigator.UserId.ToString());
        yield return (text("case.team"), string.Join(", ", c.Team.Select(m => m.Name ?? m.UserId.ToString())));
        yield return (text("indicator.owner"), c.OwnerName);
        yield return (text("report.opened"), When(c.CreatedAt));
        yield return (text("case.summary"), c.Summary);
        yield return (text("report.counts"), string.Format(CultureInfo.CurrentCulture, text("report.countsValue"),
            report.Evidence.Count, report.Evidence.Sum(e => e.Custody.Count), report.Timeline.Count, report.Findings.Count));
        yield return (text("report.printedBy"), $"{report.PrintedBy} · {When(report.PrintedAt)}");
    }

    public static IEnumerable<(string Label, string? Value)> Acquisition(EvidenceDto item, Func<string, string> text)
    {
        var a = item.Acquisition;
        yield return (text("evidence.size"), $"{item.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        yield return (text("report.acquired"), $"{When(a.AcquiredAt)} · {a.AcquiredByName}" + (a.Where is { } where ? $" · {where}" : string.Empty));
        yield return (text("report.method"), string.Join(" · ", new[] { a.Method, Join(a.Tool, a.ToolVersion), a.SourceDevice }.Where(v => !string.IsNullOrWhiteSpace(v))));
        yield return (text("report.seal"), item.CurrentSeal ?? a.SealNumber);
        yield return (text("evidence.state"), $"{text($"evidence.state.{item.State}")} · {item.HolderName ?? item.HolderId.ToString()}");
    }

    public static string Step(CustodyEntryDto step, Func<string, string> text)
    {
        var parts = new List<string> { $"#{step.Sequence} {text($"custody.{step.Action}")}", When(step.OccurredAt), step.Actor };
        if ((step.ToName ?? step.ToUserId?.ToString()) is { } to && step.Action is "transfer")
        {
            parts.Add($"→ {to}");
        }

        if (step.SealNumber is { } seal)
        {
            parts.Add($"{text("report.seal")}: {seal}");
        }

        if (step.Notes is { } notes)
        {
            parts.Add(notes);
        }

        return string.Join(" · ", parts);
    }

    public static string Line(TimelineItemDto line, Func<string, string> text)
    {
        var what = line.Kind switch
        {
            ReadCaseTimeline.Entry => line.Text ?? line.Title,
            ReadCaseTimeline.Custody => $"{text($"custody.{line.Title}")} #{line.CustodySequence} — {line.EvidenceName}" + (line.Text is { } notes ? $" ({notes})" : string.Empty),
            _ => $"{line.FindingKind}: {line.Title}" + (line.Verdict is { } verdict ? $" — {verdict}" : string.Empty) + (line.EvidenceName is { } file ? $" ({file})" : string.Empty),
        };
        var who = line.Author is { } author ? $" · {author}" : string.Empty;
        var source = line.Source is { } s ? $" · {text("timeline.source")}: {s}" : string.Empty;
        return $"{When(line.OccurredAt)} · {text($"casework.kind.{line.Kind}")}{who}{source}\n{what}";
    }

    public static string Finding(FindingDto finding, CourtReportContent report, Func<string, string> text)
    {
        var file = report.Evidence.FirstOrDefault(e => e.Item.Id == finding.EvidenceId)?.Item.FileName ?? finding.EvidenceId.ToString();
        var verdict = finding.Verdict is { } v ? $" · {v}" : string.Empty;
        var indicators = finding.IndicatorCount > 0 ? $" · {text("finding.indicators")}: {finding.IndicatorCount}" : string.Empty;
        return $"{When(finding.CreatedAt)} · {finding.Kind} · {file}{verdict}{indicators}\n{finding.Title}";
    }

    private static string? Join(string? tool, string? version) =>
        string.IsNullOrWhiteSpace(tool) ? version : string.IsNullOrWhiteSpace(version) ? tool : $"{tool} {version}";
}
