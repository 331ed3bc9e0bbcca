using System.Globalization;
using System.Text;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// Writes indicators as RFC 4180 CSV (CRLF, fields quoted when they hold a comma, quote or line break) with the header
/// <c>type,value,display,comment,tags,confidence,first_seen,last_seen,tlp</c>. Tags are joined with <c>;</c>; times are
/// ISO 8601 UTC. <see cref="Mapping"/> reads the file back with <see cref="CsvIndicatorReader"/>.
/// <para>
/// Spreadsheet formula injection: a cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage
/// return would be run as a formula by Excel or LibreOffice when the file is opened (a hostile comment
/// <c>=HYPERLINK(...)</c>, but also a phone number <c>+4930...</c>). Such cells get a leading apostrophe, which
/// spreadsheets show as text and the Ribat CSV reader removes again.
/// </para>
/// </summary>
public static class CsvIndicatorWriter
{
    public static IReadOnlyList<string> Header { get; } = ["type", "value", "display", "comment", "tags", "confidence", "first_seen", "last_seen", "tlp"];

    /// <summary>The mapping that reads this writer's output.</summary>
    public static CsvColumnMapping Mapping { get; } = new()
    {
        ValueColumn = "value",
        TypeColumn = "type",
        CommentColumn = "comment",
        TagsColumn = "tags",
        ConfidenceColumn = "confidence",
        FirstSeenColumn = "first_seen",
        LastSeenColumn = "last_seen",
        TlpColumn = "tlp",
    };

    public static void Write(IEnumerable<ExchangeIndicator> indicators, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(output);
        var line = new StringBuilder(256);
        output.Write(Row(line, Header));
        foreach (var indicator in indicators)
        {
            output.Write(Row(line, Cells(indicator)));
        }
    }

    public static async Task WriteAsync(IEnumerable<ExchangeIndicator> indicators, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(output);
        var line = new StringBuilder(256);
        await output.WriteAsync(Row(line, Header).AsMemory(), cancellationToken).ConfigureAwait(false);
        foreach (var indicator in indicators)
        {
            await output.WriteAsync(Row(line, Cells(indicator)).AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }

    internal static bool IsFormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    private static string?[] Cells(ExchangeIndicator indicator) =>
    [
        indicator.Type.ToName(), indicator.Value, indicator.Display, indicator.Comment, string.Join(';', indicator.Tags),
        indicator.Confidence?.ToString(CultureInfo.InvariantCulture),
        indicator.FirstSeen is { } first ? ExchangeDates.Format(first) : null,
        indicator.LastSeen is { } last ? ExchangeDates.Format(last) : null,
        indicator.Tlp,
    ];

    private static string Row(StringBuilder line, IReadOnlyList<string?> cells)
    {
        line.Clear();
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            AppendCell(line, cells[i] ?? string.Empty);
        }

        return line.Append("\r\n").ToString();
    }

    private static void AppendCell(StringBuilder line, string cell)
    {
        if (cell.Length > 0 && IsFormulaStart(cell[0]))
        {
            cell = "'" + cell;
        }

        if (cell.AsSpan().IndexOfAny(",\"\r\n") < 0 && cell.Trim().Length == cell.Length)
        {
            line.Append(cell);
            return;
        }

        line.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
