using System.Globalization;
using PdfSharp.Pdf;
using Ribat.Core.Cooperation;

namespace Ribat.Core.CaseWork;

/// <summary>The court report laid out as a PDF on A4, in the reader's language, with the case id and "page n of m" on every page.</summary>
internal static class CourtReportDocument
{
    public static byte[] Render(CourtReportContent report, IReadOnlyList<CourtReportChart> charts, Func<string, string> text)
    {
        FormFonts.Ensure();
        using var document = new PdfDocument();
        var c = report.Case;
        document.Info.Title = $"{text("report.courtTitle")} — {c.Title}";
        document.Info.Creator = "Ribat";
        var page = new CourtReportPages(document, ArabicText.StartsRightToLeft(text("report.courtTitle")));

        page.Title(text("report.courtTitle"), c.Title);
        foreach (var (label, value) in CourtReportText.Summary(report, text))
        {
            page.Pair(label, value);
        }

        page.Heading(text("report.evidence"));
        if (report.Evidence.Count == 0)
        {
            page.Paragraph(text("report.noEvidence"));
        }

        var number = 0;
        foreach (var (item, _) in report.Evidence)
        {
            page.Subheading($"{++number}. {item.FileName}");
            foreach (var (label, value) in CourtReportText.Acquisition(item, text))
            {
                page.Pair(label, value);
            }

            page.Hash("MD5", item.Md5);
            page.Hash("SHA-1", item.Sha1);
            page.Hash("SHA-256", item.Sha256);
        }

        page.Heading(text("report.custody"));
        number = 0;
        foreach (var (item, custody) in report.Evidence)
        {
            page.Subheading($"{++number}. {item.FileName}");
            foreach (var step in custody)
            {
                page.Paragraph(CourtReportText.Step(step, text));
                page.Hash(text("report.entryHash"), step.Hash);
            }
        }

        page.Heading(text("case.timeline"));
        if (report.Timeline.Count == 0)
        {
            page.Paragraph(text("common.none"));
        }

        foreach (var line in report.Timeline)
        {
            page.Paragraph(CourtReportText.Line(line, text));
        }

        if (report.TimelineTruncated)
        {
            page.Paragraph(string.Format(CultureInfo.CurrentCulture, text("report.timelineCut"), report.Timeline.Count));
        }

        page.Heading(text("report.findings"));
        if (report.Findings.Count == 0)
        {
            page.Paragraph(text("common.none"));
        }

        foreach (var finding in report.Findings)
        {
            page.Paragraph(CourtReportText.Finding(finding, report, text));
        }

        if (charts.Count > 0)
        {
            page.Heading(text("report.charts"));
            foreach (var chart in charts)
            {
                page.Picture(chart.Png, chart.Caption, chart.Legend);
            }
        }

        page.Footers(c.Id.ToString(), text("form.page"));
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }
}
