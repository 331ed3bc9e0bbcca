using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Ioc;

namespace Ribat.Core.Indicators;

public sealed record PreviewRow(long Line, int Column, string Type, string Value, string Display, string Original, string? WarningList, int KnownHolders);

public sealed record ExtractionPreview(IReadOnlyList<PreviewRow> Rows, IReadOnlyList<SkippedLine> Skipped, long Lines, bool Truncated);

/// <summary>
/// "Paste a report, get indicators": extracts every observable (defanged too) from free text and shows, per row,
/// whether it is on a warning list and how many indicators the viewer can already see with that value. Nothing
/// is stored; the user accepts, edits or drops rows and records them with <see cref="RecordIndicators"/>.
/// </summary>
public sealed class ExtractIndicators(SharingAccess sharing, WarningLists warningLists)
{
    public const int MaxTextLength = 5 * 1024 * 1024;
    public const int MaxRows = 10_000;

    public async Task<Result<ExtractionPreview>> PreviewAsync(Actor actor, string? text, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Error.Validation("text", "Paste some text to extract indicators from.");
        }

        if (text.Length > MaxTextLength)
        {
            return Error.Validation("text", $"The text is longer than {MaxTextLength / (1024 * 1024)} MiB; import it as a file instead.");
        }

        var extraction = IocExtractor.Extract(text, new IocExtractorOptions { MaxObservables = MaxRows + 1 });
        var found = extraction.Observables.Take(MaxRows).ToList();
        var index = await warningLists.IndexAsync(cancellationToken);
        var keys = found.Select(o => CorrelationKeys.Key(o.Type.ToName(), o.Canonical)).Distinct().ToList();

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var known = new Dictionary<long, int>();
        foreach (var chunk in keys.Chunk(1000))
        {
            var list = chunk.ToList();
            var counts = await KeyTables.Holding(session.Db, session.Db.Indicators.AsNoTracking(), list)
                .GroupBy(i => i.ValueKey)
                .Select(g => new { g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken);
            foreach (var count in counts)
            {
                known[count.Key] = count.Count;
            }
        }

        var rows = found.Select(o => new PreviewRow(
            o.Line,
            o.Column,
            o.Type.ToName(),
            o.Canonical,
            o.Display,
            o.Original,
            index.Match(o.Type, o.Canonical) is { Count: > 0 } lists ? lists[0].Name : null,
            known.GetValueOrDefault(CorrelationKeys.Key(o.Type.ToName(), o.Canonical)))).ToList();
        return new ExtractionPreview(rows, extraction.Skipped, extraction.Lines, extraction.Observables.Count > MaxRows);
    }
}
