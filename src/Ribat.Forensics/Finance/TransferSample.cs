using Ribat.Forensics.Exchange;

namespace Ribat.Forensics.Finance;

/// <summary>
/// The head of an export, for a person choosing the column mapping: the header names, the first rows as written
/// and the mapping the header names suggest. <see cref="Problem"/> is set (and the rest empty) when not even a header
/// could be read.
/// </summary>
public sealed record MoneySample(
    IReadOnlyList<string> Header,
    IReadOnlyList<MoneySampleRow> Rows,
    MoneyColumnMapping? Guessed,
    string? Missing,
    string? Problem);

/// <summary>One data row as written, cut to the header's width, and its 1-based line.</summary>
public sealed record MoneySampleRow(int Line, IReadOnlyList<string> Cells);

/// <summary>Reads the header and the first rows of an export and stops: nothing past them is read.</summary>
internal sealed class SampleRows(int wanted, int maxCell) : ICsvRecordSink
{
    private readonly List<MoneySampleRow> _rows = [];
    private string[]? _header;
    private string? _problem;

    public MoneySample Result()
    {
        if (_problem is not null || _header is null)
        {
            return new MoneySample([], [], null, null, _problem ?? "the file is empty: a header row naming the columns is needed.");
        }

        var guessed = MoneyHeaderGuess.Suggest(_header, out var missing);
        return new MoneySample(_header, _rows, guessed, guessed is null ? missing : null, null);
    }

    public bool Record(List<string> fields, int line, CsvRecordError? error)
    {
        if (_header is null)
        {
            if (error is { } bad)
            {
                _problem = $"the header row cannot be read: {bad.Reason}";
                return false;
            }

            _header = fields.Select(f => Clip(f.Trim())).ToArray();
            return wanted > 0;
        }

        if (error is not null || (fields.Count == 1 && fields[0].Length == 0))
        {
            return true; // a bad row is shown by the preview's issues, a blank line not at all
        }

        var cells = new string[_header.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = i < fields.Count ? Clip(fields[i]) : string.Empty;
        }

        _rows.Add(new MoneySampleRow(line, cells));
        return _rows.Count < wanted;
    }

    private string Clip(string text) => text.Length <= maxCell ? text : text[..maxCell] + "…";
}
