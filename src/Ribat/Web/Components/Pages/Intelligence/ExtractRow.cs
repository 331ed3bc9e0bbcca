using Ribat.Core.Indicators;

namespace Ribat.Web.Components.Pages.Intelligence;

/// <summary>One extracted value on the paste page, as the user accepts, edits or drops it, and what recording it did.</summary>
public sealed class ExtractRow
{
    public ExtractRow(PreviewRow preview)
    {
        Line = preview.Line;
        Type = preview.Type;
        Value = preview.Value;
        Display = preview.Display;
        Original = preview.Original;
        WarningList = preview.WarningList;
        KnownHolders = preview.KnownHolders;

        // Values on a warning list are usually noise (documentation ranges, resolvers, example names): left out unless kept.
        Accepted = preview.WarningList is null;
    }

    public long Line { get; }

    public string Type { get; set; }

    public string Value { get; set; }

    public string Display { get; set; }

    public string Original { get; }

    public string? WarningList { get; set; }

    public int KnownHolders { get; }

    public bool Accepted { get; set; }

    /// <summary>Recorded with its warning acknowledged (the "keep anyway" choice).</summary>
    public bool Suppress { get; set; }

    public bool Editing { get; set; }

    public string? EditType { get; set; }

    public string? EditValue { get; set; }

    public string? EditProblem { get; set; }

    public RowOutcome Outcome { get; set; }

    public string? OutcomeText { get; set; }

    public Guid? RecordedId { get; set; }

    public bool Done => Outcome is RowOutcome.Recorded or RowOutcome.Duplicate;
}

public enum RowOutcome
{
    None,
    Recorded,
    Duplicate,
    Refused,
}
