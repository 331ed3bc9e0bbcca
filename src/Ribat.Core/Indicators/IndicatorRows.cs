using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Forensics.Ioc;

namespace Ribat.Core.Indicators;

/// <summary>Turns one <see cref="IndicatorInput"/> into a row, or names the field at fault and why.</summary>
internal static class IndicatorRows
{
    public sealed record Built(Indicator? Row, (string Field, string Reason)? Error);

    public static Built Build(IndicatorInput input, SharingTerms terms, Guid? reportId, Guid? userId, DateTimeOffset now, Guid localNode)
    {
        if (!IndicatorTypes.TryCanonicalise(input.Type, input.Value, out var canonical, out var reason))
        {
            return Fail(IndicatorTypes.IsKnown(input.Type?.Trim().ToLowerInvariant()) ? "value" : "type", reason);
        }

        if (Check(input) is { } invalid)
        {
            return new Built(null, invalid);
        }

        var rowTerms = terms;
        if (input.Tlp is { Length: > 0 } tlpText)
        {
            if (!Tlps.TryParse(tlpText, out var tlp))
            {
                return Fail("tlp", $"'{tlpText}' is not a TLP 2.0 level.");
            }

            rowTerms = terms with { Tlp = tlp };
        }

        var row = new Indicator
        {
            Id = Common.RowIds.Next(),
            Type = canonical!.Type,
            Value = canonical.Value,
            Display = canonical.Display,
            ValueKey = canonical.ValueKey,
            Address = canonical.Address,
            RegisteredDomain = canonical.RegisteredDomain,
            Pattern = canonical.Pattern,
            ReportId = reportId,
            Comment = Clean(input.Comment),
            Tags = CleanTags(input.Tags),
            Confidence = input.Confidence ?? 50,
            ValidFrom = input.ValidFrom,
            ValidUntil = input.ValidUntil,
            FirstSeen = input.FirstSeen,
            LastSeen = input.LastSeen,
            ForDetection = input.ForDetection ?? true,
            SourceId = Clean(input.SourceId),
            CreatedBy = userId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        SharedColumns.Apply(row, rowTerms, localNode);
        row.DuplicateKey = CorrelationKeys.DuplicateKey(row.OwnerOrganisationId, reportId, row.Type, row.ValueKey);
        row.ObservableId = ObservableIds.Of(row.Type, row.Value);
        return new Built(row, null);
    }

    /// <summary>The checks shared by recording and updating.</summary>
    public static (string Field, string Reason)? Check(IndicatorInput input)
    {
        if (input.Confidence is < 0 or > 100)
        {
            return ("confidence", $"confidence must be between 0 and 100, not {input.Confidence}.");
        }

        if (input.ValidFrom is { } from && input.ValidUntil is { } until && until <= from)
        {
            return ("validUntil", "valid-until must be after valid-from.");
        }

        if (input.FirstSeen is { } first && input.LastSeen is { } last && last < first)
        {
            return ("lastSeen", "last-seen must not be before first-seen.");
        }

        if (input.Comment is { Length: > 4000 })
        {
            return ("comment", "the comment is longer than 4000 characters.");
        }

        if (input.SourceId is { Length: > 64 })
        {
            return ("sourceId", "the source id is longer than 64 characters.");
        }

        if (input.Tags is { } tags)
        {
            if (tags.Count > RecordIndicators.MaxTags)
            {
                return ("tags", $"at most {RecordIndicators.MaxTags} tags.");
            }

            if (tags.FirstOrDefault(t => string.IsNullOrWhiteSpace(t) || t.Length > RecordIndicators.MaxTagLength || t.Any(char.IsControl)) is { } bad)
            {
                return ("tags", $"a tag is 1 to {RecordIndicators.MaxTagLength} printable characters ('{Shorten(bad)}' is not).");
            }
        }

        return null;
    }

    private static Built Fail(string field, string reason) => new(null, (field, reason));

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim().Replace("\0", string.Empty, StringComparison.Ordinal);

    private static List<string> CleanTags(IReadOnlyList<string>? tags) =>
        tags is null ? [] : tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}

internal static class ObservableMatch
{
    /// <summary>The first warning list the row's value is on, or null (rules are never on one).</summary>
    public static string? WarningListFor(WarningListIndex index, Indicator row) =>
        ObservableTypeNames.TryParse(row.Type, out var type) && index.Match(type, row.Value) is { Count: > 0 } lists ? lists[0].Name : null;
}
