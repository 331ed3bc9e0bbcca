using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;

namespace Ribat.Web.Components.Pages.Intelligence;

/// <summary>The CSV column mapping as the import page edits it: a column name per role, or one type for every row.</summary>
public sealed class CsvMappingForm
{
    public string? Value { get; set; }

    public string? Type { get; set; }

    /// <summary>Used when no column holds the type.</summary>
    public string? FixedType { get; set; }

    public string? Comment { get; set; }

    public string? Tags { get; set; }

    public string? Confidence { get; set; }

    public string? FirstSeen { get; set; }

    public string? LastSeen { get; set; }

    public string? Tlp { get; set; }

    public static CsvMappingForm From(CsvColumnMapping? suggested) => suggested is null ? new() : new()
    {
        Value = suggested.ValueColumn,
        Type = suggested.TypeColumn,
        FixedType = suggested.FixedType?.ToName(),
        Comment = suggested.CommentColumn,
        Tags = suggested.TagsColumn,
        Confidence = suggested.ConfidenceColumn,
        FirstSeen = suggested.FirstSeenColumn,
        LastSeen = suggested.LastSeenColumn,
        Tlp = suggested.TlpColumn,
    };

    /// <summary>Null until a value column and a type (a column or one for all) are chosen.</summary>
    public CsvColumnMapping? ToMapping()
    {
        ObservableType? fixedType = Type is null && ObservableTypeNames.TryParse(FixedType, out var parsed) ? parsed : null;
        if (string.IsNullOrEmpty(Value) || (Type is null && fixedType is null))
        {
            return null;
        }

        return new CsvColumnMapping
        {
            ValueColumn = Value,
            TypeColumn = Type,
            FixedType = fixedType,
            CommentColumn = Comment,
            TagsColumn = Tags,
            ConfidenceColumn = Confidence,
            FirstSeenColumn = FirstSeen,
            LastSeenColumn = LastSeen,
            TlpColumn = Tlp,
        };
    }
}
