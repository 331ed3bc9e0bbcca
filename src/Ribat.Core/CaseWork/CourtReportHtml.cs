using System.Globalization;
using System.Net;
using System.Text;
using Ribat.Core.Cooperation;

namespace Ribat.Core.CaseWork;

/// <summary>
/// The court report as one self-contained HTML page (charts inline as PNG), saying exactly what the PDF says.
/// Every value is HTML-encoded: case text is whatever investigators and analysed files put there.
/// </summary>
internal static class CourtReportHtml
{
    public static byte[] Render(CourtReportContent report, IReadOnlyList<CourtReportChart> charts, Func<string, string> text)
    {
        var c = report.Case;
        var rtl = ArabicText.StartsRightToLeft(text("report.courtTitle"));
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html").Append(rtl ? " dir=\"rtl\"" : string.Empty).Append("><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(E(text("report.courtTitle"))).Append(" — ").Append(E(c.Title)).Append("</title>")
            .Append("<style>body{font-family:'DejaVu Sans',sans-serif;font-size:10pt;margin:2em}table{border-collapse:collapse;width:100%;margin-bottom:1em}")
            .Append("th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top;text-align:start}.hash{font-family:monospace;word-break:break-all}")
            .Append(".pre{white-space:pre-wrap}.key{display:inline-block;width:10px;height:10px;margin-inline-end:4px}img{max-width:100%}</style></head><body>\n");
        html.Append("<h1>").Append(E(text("report.courtTitle"))).Append("</h1><h2 id=\"case-title\">").Append(E(c.Title)).Append("</h2>\n<table>");
        foreach (var (label, value) in CourtReportText.Summary(report, text))
        {
            Row(html, label, value, pre: true);
        }

        html.Append("</table>\n<h2>").Append(E(text("report.evidence"))).Append("</h2>\n");
        if (report.Evidence.Count == 0)
        {
            html.Append("<p>").Append(E(text("report.noEvidence"))).Append("</p>\n");
        }
        else
        {
            html.Append("<table id=\"evidence\"><tr><th>#</th><th>").Append(E(text("evidence.fileName"))).Append("</th><th>").Append(E(text("report.hashes")))
                .Append("</th><th>").Append(E(text("report.acquired"))).Append("</th></tr>\n");
            var number = 0;
            foreach (var (item, _) in report.Evidence)
            {
                html.Append("<tr><td>").Append(++number).Append("</td><td>").Append(E(item.FileName)).Append("</td><td class=\"hash\">MD5 ").Append(E(item.Md5))
                    .Append("<br>SHA-1 ").Append(E(item.Sha1)).Append("<br>SHA-256 ").Append(E(item.Sha256)).Append("</td><td class=\"pre\">");
                html.AppendJoin("\n", CourtReportText.Acquisition(item, text).Select(p => E($"{p.Label}: {p.Value ?? "—"}"))).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>").Append(E(text("report.custody"))).Append("</h2>\n");
        var index = 0;
        foreach (var (item, custody) in report.Evidence)
        {
            html.Append("<h3>").Append(++index).Append(". ").Append(E(item.FileName)).Append("</h3><table class=\"custody\">");
            foreach (var step in custody)
            {
                html.Append("<tr><td class=\"pre\">").Append(E(CourtReportText.Step(step, text))).Append("</td><td class=\"hash\">").Append(E(step.Hash)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>").Append(E(text("case.timeline"))).Append("</h2>\n<table id=\"timeline\">");
        foreach (var line in report.Timeline)
        {
            html.Append("<tr><td class=\"pre\">").Append(E(CourtReportText.Line(line, text))).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        if (report.TimelineTruncated)
        {
            html.Append("<p>").Append(E(string.Format(CultureInfo.CurrentCulture, text("report.timelineCut"), report.Timeline.Count))).Append("</p>\n");
        }

        html.Append("<h2>").Append(E(text("report.findings"))).Append("</h2>\n<table id=\"findings\">");
        foreach (var finding in report.Findings)
        {
            html.Append("<tr><td class=\"pre\">").Append(E(CourtReportText.Finding(finding, report, text))).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        if (charts.Count > 0)
        {
            html.Append("<h2>").Append(E(text("report.charts"))).Append("</h2>\n");
            foreach (var chart in charts)
            {
                html.Append("<figure><img alt=\"").Append(E(chart.Caption)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(chart.Png))
                    .Append("\"><figcaption>").Append(E(chart.Caption)).Append("<br>");
                foreach (var key in chart.Legend)
                {
                    html.Append("<span class=\"key\" style=\"background:").Append(key.Hex).Append("\"></span>").Append(E(key.Label)).Append(' ');
                }

                html.Append("</figcaption></figure>\n");
            }
        }

        html.Append("<footer>").Append(E(c.Id.ToString())).Append("</footer></body></html>\n");
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    private static void Row(StringBuilder html, string label, string? value, bool pre) =>
        html.Append("<tr><th>").Append(E(label)).Append("</th><td").Append(pre ? " class=\"pre\"" : string.Empty).Append('>').Append(E(value ?? "—")).Append("</td></tr>\n");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
