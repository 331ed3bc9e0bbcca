using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// Which CSV column holds what, by header name (matched without regard to case or surrounding spaces).
/// The type of a row comes from <see cref="TypeColumn"/> (a Ribat type such as <c>ipv4</c>, a MISP type such as
/// <c>ip-dst</c> or <c>filename|sha256</c>, or <c>ip</c> / <c>hash</c>); where that is not mapped or the cell is
/// empty, from <see cref="FixedType"/>; failing both, from the value's shape.
/// </summary>
public sealed record CsvColumnMapping
{
    public required string ValueColumn { get; init; }

    public string? TypeColumn { get; init; }

    public ObservableType? FixedType { get; init; }

    public string? CommentColumn { get; init; }

    /// <summary>Several tags in one cell are separated by <c>;</c> or <c>|</c>.</summary>
    public string? TagsColumn { get; init; }

    /// <summary>A whole number from 0 to 100.</summary>
    public string? ConfidenceColumn { get; init; }

    /// <summary>ISO 8601 (<c>2024-05-01</c>, <c>2024-05-01T10:00:00Z</c>).</summary>
    public string? FirstSeenColumn { get; init; }

    public string? LastSeenColumn { get; init; }

    /// <summary><c>amber</c>, <c>TLP:AMBER</c>, <c>tlp:amber+strict</c>...; stored in MISP's spelling (<c>tlp:amber</c>).</summary>
    public string? TlpColumn { get; init; }

    public string? CategoryColumn { get; init; }

    /// <summary><c>true</c>/<c>false</c>, <c>1</c>/<c>0</c> or <c>yes</c>/<c>no</c>; without it every row gets <see cref="CsvReadOptions.ForDetection"/>.</summary>
    public string? ForDetectionColumn { get; init; }

    internal IEnumerable<(string Role, string Column)> Columns()
    {
        yield return ("value", ValueColumn);
        foreach (var (role, column) in new[]
        {
            ("type", TypeColumn), ("comment", CommentColumn), ("tags", TagsColumn), ("confidence", ConfidenceColumn),
            ("first seen", FirstSeenColumn), ("last seen", LastSeenColumn), ("tlp", TlpColumn), ("category", CategoryColumn),
            ("for detection", ForDetectionColumn),
        })
        {
            if (column is not null)
            {
                yield return (role, column);
            }
        }
    }
}

/// <summary>Limits and defaults for CSV and plain-text imports.</summary>
public sealed record CsvReadOptions
{
    public static CsvReadOptions Default { get; } = new();

    /// <summary><c>,</c> <c>;</c> or tab; <c>null</c> detects it from the header line.</summary>
    public char? Delimiter { get; init; }

    public int MaxFieldLength { get; init; } = 64 * 1024;

    /// <summary>One record, including line breaks inside quoted fields.</summary>
    public int MaxRecordLength { get; init; } = 1024 * 1024;

    /// <summary>Data rows read; the rest of the input is not read and that is reported.</summary>
    public int MaxRows { get; init; } = 1_000_000;

    public int MaxIssues { get; init; } = 10_000;

    /// <summary>Undo <c>hxxp</c>, <c>[.]</c> and friends in values.</summary>
    public bool Refang { get; init; } = true;

    /// <summary>Whether rows are meant for detection when no column says.</summary>
    public bool ForDetection { get; init; } = true;
}

/// <summary>The first rows of a CSV file, for a mapping step in a user interface.</summary>
public sealed record CsvPreview(
    char Delimiter,
    IReadOnlyList<string> Header,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    CsvColumnMapping? SuggestedMapping,
    IReadOnlyList<ImportIssue> Issues);
