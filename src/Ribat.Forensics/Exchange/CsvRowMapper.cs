using System.Globalization;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// Receives CSV records: the first is the header, which the mapping is resolved against; every later one becomes
/// indicators or named issues. A row with any bad cell is refused whole (its issues name each bad cell), so what is
/// imported is exactly what the file says.
/// </summary>
internal sealed class CsvRowMapper(CsvColumnMapping mapping, CsvReadOptions options) : ICsvRecordSink
{
    private readonly IssueList _issues = new(options.MaxIssues);
    private readonly IssueList _skipped = new(options.MaxIssues);
    private readonly List<ExchangeIndicator> _indicators = [];
    private string[] _header = [];
    private int _value = -1;
    private int _type = -1;
    private int _comment = -1;
    private int _tags = -1;
    private int _confidence = -1;
    private int _firstSeen = -1;
    private int _lastSeen = -1;
    private int _tlp = -1;
    private int _category = -1;
    private int _forDetection = -1;
    private int _rows;
    private int _headerLine = 1;

    public bool SawHeader { get; private set; }

    public string? Fatal { get; private set; }

    public ImportResult<IReadOnlyList<ExchangeIndicator>> Result()
    {
        if (Fatal is not null)
        {
            return ImportResult<IReadOnlyList<ExchangeIndicator>>.Failed(_headerLine, null, Fatal);
        }

        return SawHeader
            ? new ImportResult<IReadOnlyList<ExchangeIndicator>>(_indicators, _issues.Build(), _skipped.Build())
            : ImportResult<IReadOnlyList<ExchangeIndicator>>.Failed(0, null, "the input is empty: a header row is expected.");
    }

    public bool Record(List<string> fields, int line, CsvRecordError? error)
    {
        if (Fatal is not null)
        {
            return false;
        }

        if (!SawHeader)
        {
            _headerLine = line;
            if (error is { } headerError)
            {
                Fatal = "the header row cannot be read: " + headerError.Reason;
                return false;
            }

            if (IsBlank(fields))
            {
                return true;
            }

            SawHeader = true;
            _header = [.. fields.Select(f => f.Trim())];
            return ResolveColumns();
        }

        if (error is { } e)
        {
            _issues.Add(e.Line, ColumnName(e.Field), e.Reason);
            return CountRow(line);
        }

        if (IsBlank(fields))
        {
            return true;
        }

        if (!CountRow(line))
        {
            return false;
        }

        if (fields.Count != _header.Length)
        {
            _issues.Add(line, null, $"the row has {fields.Count} fields where the header has {_header.Length}; is a delimiter inside an unquoted value?");
            return true;
        }

        MapRow(fields, line);
        return true;
    }

    private bool CountRow(int line)
    {
        if (++_rows <= options.MaxRows)
        {
            return true;
        }

        _issues.Add(line, null, $"stopped after {options.MaxRows} rows, the limit: this row and the rest of the input were not read.");
        return false;
    }

    private bool ResolveColumns()
    {
        foreach (var (role, column) in mapping.Columns())
        {
            var matches = Enumerable.Range(0, _header.Length).Where(i => string.Equals(_header[i], column.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count != 1)
            {
                Fatal = matches.Count == 0
                    ? $"the {role} column '{column}' is not in the header ({string.Join(", ", _header.Select(h => $"'{IssueText.Excerpt(h, 40)}'"))})."
                    : $"the {role} column '{column}' appears {matches.Count} times in the header; rename one.";
                return false;
            }
        }

        int At(string? column) => column is null ? -1 : Array.FindIndex(_header, h => string.Equals(h, column.Trim(), StringComparison.OrdinalIgnoreCase));
        (_value, _type, _comment, _tags, _confidence) = (At(mapping.ValueColumn), At(mapping.TypeColumn), At(mapping.CommentColumn), At(mapping.TagsColumn), At(mapping.ConfidenceColumn));
        (_firstSeen, _lastSeen, _tlp, _category, _forDetection) = (At(mapping.FirstSeenColumn), At(mapping.LastSeenColumn), At(mapping.TlpColumn), At(mapping.CategoryColumn), At(mapping.ForDetectionColumn));
        return true;
    }

    private void MapRow(List<string> fields, int line)
    {
        var value = Cell(fields, _value);
        if (value is null)
        {
            _issues.Add(line, _header[_value], "the value is empty.");
            return;
        }

        var typeCell = Cell(fields, _type);
        if (!TryParts(typeCell, line, out var parts) || Shared(fields, line) is not { } shared)
        {
            return;
        }

        var values = parts.Length == 1 ? [value] : value.Split('|', 2);
        if (values.Length != parts.Length)
        {
            _issues.Add(line, _header[_value], $"type '{typeCell}' expects two values separated by '|'.");
            return;
        }

        var resolved = new Canonical?[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Kind is PartKind.Ignored or PartKind.Unsupported)
            {
                continue;
            }

            var text = options.Refang ? Defang.Refang(values[i]) : values[i];
            if (!MispTypes.TryResolve(parts[i], text, out var canonical, out var reason))
            {
                _issues.Add(line, _header[_value], reason.StartsWith('\'') ? reason : $"'{IssueText.Excerpt(values[i].Trim())}': {reason}");
                return;
            }

            resolved[i] = canonical;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (resolved[i] is { } canonical)
            {
                _indicators.Add(shared with { Type = canonical.Type, Value = canonical.Value, Display = canonical.Display });
            }
            else if (parts[i].Kind == PartKind.Unsupported)
            {
                _skipped.Add(line, _header[_type], $"type '{typeCell}': the '{parts[i].Name}' part has no Ribat observable type.");
            }
        }
    }

    /// <summary>The row's type from its type cell, else the mapping's fixed type, else detection by shape.</summary>
    private bool TryParts(string? typeCell, int line, out TypePart[] parts)
    {
        if (typeCell is null)
        {
            parts = [mapping.FixedType is { } fixedType ? TypePart.Of(fixedType) : new TypePart(PartKind.Shape)];
            return true;
        }

        if (CsvTypeNames.TryParse(typeCell, out parts))
        {
            return true;
        }

        _issues.Add(line, _header[_type], CsvTypeNames.Unknown(typeCell));
        return false;
    }

    /// <summary>The cells every indicator of the row shares; <c>null</c> (with issues) when any is bad.</summary>
    private ExchangeIndicator? Shared(List<string> fields, int line)
    {
        var before = _issues.Count;
        var confidence = Parse(fields, _confidence, line, text =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100 ? n : (int?)null,
            "is not a whole number from 0 to 100.");
        var firstSeen = Parse(fields, _firstSeen, line, text => ExchangeDates.TryParse(text, out var d) ? d : (DateTimeOffset?)null, "is not an ISO 8601 date (2024-05-01 or 2024-05-01T10:00:00Z).");
        var lastSeen = Parse(fields, _lastSeen, line, text => ExchangeDates.TryParse(text, out var d) ? d : (DateTimeOffset?)null, "is not an ISO 8601 date (2024-05-01 or 2024-05-01T10:00:00Z).");
        var tlp = Parse(fields, _tlp, line, Markings.NormaliseTlp, "is not a TLP level (clear, white, green, amber, amber+strict, red).");
        var forDetection = Parse(fields, _forDetection, line, ParseBool, "is not true or false (also 1/0, yes/no).");
        if (firstSeen is { } from && lastSeen is { } to && from > to)
        {
            _issues.Add(line, _header[_firstSeen], "first seen is after last seen.");
        }

        if (_issues.Count > before)
        {
            return null;
        }

        return new ExchangeIndicator
        {
            Type = default,
            Value = string.Empty,
            Display = string.Empty,
            Comment = Cell(fields, _comment),
            Tags = SplitTags(Cell(fields, _tags)),
            Confidence = confidence,
            FirstSeen = firstSeen,
            LastSeen = lastSeen,
            Tlp = tlp,
            Category = Cell(fields, _category),
            ForDetection = forDetection ?? options.ForDetection,
            Line = line,
        };
    }

    private T? Parse<T>(List<string> fields, int column, int line, Func<string, T?> parse, string problem)
    {
        var text = Cell(fields, column);
        if (text is null)
        {
            return default;
        }

        var value = parse(text);
        if (value is null)
        {
            _issues.Add(line, _header[column], $"'{IssueText.Excerpt(text)}' {problem}");
        }

        return value;
    }

    private static bool? ParseBool(string text) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "y" => true,
        "0" or "false" or "no" or "n" => false,
        _ => null,
    };

    private static List<string> SplitTags(string? cell)
    {
        var tags = new List<string>();
        foreach (var part in (cell ?? string.Empty).Split([';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!tags.Contains(part))
            {
                tags.Add(part);
            }
        }

        return tags;
    }

    /// <summary>
    /// A trimmed cell, <c>null</c> when empty or unmapped. A leading apostrophe before <c>= + - @</c>, tab or CR is
    /// removed: it is how <see cref="CsvIndicatorWriter"/> (and careful people) keep spreadsheets from running a cell.
    /// </summary>
    internal static string? Cell(List<string> fields, int column)
    {
        if (column < 0)
        {
            return null;
        }

        var text = fields[column];
        if (text.Length > 1 && text[0] == '\'' && CsvIndicatorWriter.IsFormulaStart(text[1]))
        {
            text = text[1..];
        }

        text = text.Trim();
        return text.Length == 0 ? null : text;
    }

    private static bool IsBlank(List<string> fields) => fields.TrueForAll(string.IsNullOrWhiteSpace);

    private string? ColumnName(int field) => field >= 0 && field < _header.Length ? _header[field] : null;
}
