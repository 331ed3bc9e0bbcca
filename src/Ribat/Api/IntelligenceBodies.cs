using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Api;

/// <summary>
/// <c>POST /indicators</c>: one indicator with its fields at the top level, or a batch in <c>indicators</c>.
/// <c>sharing</c>, <c>reportId</c> and <c>allOrNothing</c> apply to every row; a row's own <c>tlp</c> overrides
/// the TLP for that row only.
/// </summary>
internal sealed record RecordIndicatorsBody(
    IReadOnlyList<IndicatorInput?>? Indicators = null,
    SharingTermsInput? Sharing = null,
    Guid? ReportId = null,
    bool? AllOrNothing = null,
    string? Type = null,
    string? Value = null,
    string? Comment = null,
    IReadOnlyList<string>? Tags = null,
    int? Confidence = null,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidUntil = null,
    DateTimeOffset? FirstSeen = null,
    DateTimeOffset? LastSeen = null,
    bool? ForDetection = null,
    bool? SuppressWarning = null,
    string? Tlp = null,
    string? SourceId = null)
{
    /// <summary>The body names one indicator rather than a batch.</summary>
    public bool IsSingle => Indicators is null;

    public Result<RecordIndicatorsRequest> ToRequest()
    {
        var singleFields = Type is not null || Value is not null || Comment is not null || Tags is not null || Confidence is not null
            || ValidFrom is not null || ValidUntil is not null || FirstSeen is not null || LastSeen is not null || ForDetection is not null
            || SuppressWarning is not null || Tlp is not null || SourceId is not null;
        if (Indicators is null)
        {
            var one = new IndicatorInput(Type, Value, Comment, Tags, Confidence, ValidFrom, ValidUntil, FirstSeen, LastSeen, ForDetection, SuppressWarning ?? false, Tlp, SourceId);
            return new RecordIndicatorsRequest([one], Sharing, ReportId, AllOrNothing: true);
        }

        if (singleFields)
        {
            return Error.Validation("indicators", "Send one indicator (type, value… at the top level) or a batch (indicators), not both.");
        }

        var rows = new List<IndicatorInput>(Indicators.Count);
        foreach (var row in Indicators)
        {
            if (row is null)
            {
                return Error.Validation("indicators", $"Row {rows.Count + 1} is null; each row is an object with at least type and value.");
            }

            rows.Add(row);
        }

        return new RecordIndicatorsRequest(rows, Sharing, ReportId, AllOrNothing ?? false);
    }
}

internal sealed record ExtractBody(string? Text);

internal sealed record WarningListEnabledBody(bool? Enabled);

/// <summary>How a batch that recorded nothing because of its rows is answered: one problem naming every row.</summary>
internal static class IndicatorRowsProblem
{
    /// <summary>The <c>errors</c> map repeats the first rows in words; <c>issues</c> lists them all.</summary>
    private const int RowsInErrors = 100;

    /// <summary>An import that recorded nothing: the same problem, with the reader's skipped rows beside the issues.</summary>
    public static IResult From(ImportOutcome outcome) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["file"] = outcome.Issues.Take(RowsInErrors).Select(i => i.ToString()).ToArray() },
            $"{outcome.Issues.Count} row(s) could not be recorded, so nothing was; each is listed in 'issues' with its line, column and reason.",
            title: "No indicator was recorded.",
            type: "urn:ribat:problem:indicator-rows",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "indicator-rows",
                ["issues"] = outcome.Issues,
                ["skipped"] = outcome.Skipped,
                ["duplicates"] = outcome.Duplicates,
                ["warnings"] = outcome.Warnings,
            });

    public static IResult From(RecordIndicatorsResult result, bool single)
    {
        var errors = single
            ? result.Issues.GroupBy(i => i.Column ?? "indicator").ToDictionary(g => g.Key, g => g.Select(i => i.Reason).ToArray())
            : new Dictionary<string, string[]>
            {
                ["indicators"] = result.Issues.Take(RowsInErrors).Select(i => $"line {i.Line}{(i.Column is null ? string.Empty : $", {i.Column}")}: {i.Reason}").ToArray(),
            };
        var detail = single
            ? result.Issues[0].Reason
            : $"{result.Issues.Count} row(s) could not be recorded, so nothing was; each is listed in 'issues' with its line, column and reason.";
        return TypedResults.ValidationProblem(
            errors,
            detail,
            title: "No indicator was recorded.",
            type: "urn:ribat:problem:indicator-rows",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "indicator-rows",
                ["issues"] = result.Issues,
                ["duplicates"] = result.Duplicates,
                ["warnings"] = result.Warnings,
            });
    }
}
