using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;

namespace Ribat.Core.Federation;

/// <summary>
/// The STIX versions of this node's own indicators that were kept without JSON and are rendered when read (ADR 0016):
/// the versions of a row recorded before rows served their current versions (ADR 0017), until its next change. Such a
/// version says exactly what the indicator row and the version's own sharing-term columns say. Before an indicator
/// changes, its current versions are rendered and kept (<see cref="SealAsync"/>), so an older version still says what
/// it said when it was current. Every reader of <see cref="StixObjectRecord.Json"/> fills such rows first
/// (<see cref="FillAsync"/>).
/// </summary>
internal static class RenderedVersions
{
    /// <summary>Whether <paramref name="row"/> is kept without JSON (its JSON is rendered when read).</summary>
    public static bool IsRendered(StixObjectRecord row) => row.Json.Length == 0;

    /// <summary>
    /// <paramref name="rows"/>, in their order, with the JSON of rendered versions filled in from their indicators.
    /// A version whose indicator changed or went since the rows were read is read again (a change keeps its JSON
    /// first); one whose indicator is deleted is left out, as the deletion removed it.
    /// </summary>
    /// <remarks><paramref name="rendered"/> false renders every version again, leaving aside those rendered lately.</remarks>
    public static async Task<List<StixObjectRecord>> FillAsync(RibatDbContext db, IReadOnlyList<StixObjectRecord> rows, Guid localNode, CancellationToken cancellationToken, bool rendered = true)
    {
        var pending = new List<StixObjectRecord>();
        foreach (var row in rows)
        {
            if (!IsRendered(row))
            {
                continue;
            }

            if (rendered && Recent.TryGet((row.Id, row.StixId, row.Version), out var json))
            {
                row.Json = json;
            }
            else
            {
                pending.Add(row);
            }
        }

        if (pending.Count == 0)
        {
            // Every row held its JSON or was rendered lately.
            return rows as List<StixObjectRecord> ?? [.. rows];
        }

        var indicators = new Dictionary<Guid, Indicators.Indicator>();
        foreach (var slice in pending.Where(r => r.RibatObjectId is not null).Select(r => r.RibatObjectId!.Value).Distinct().Chunk(500))
        {
            await foreach (var indicator in IndicatorsAsync.For(db)(db, slice).WithCancellation(cancellationToken))
            {
                indicators[indicator.Id] = indicator;
            }
        }

        var terms = new TermsCache(localNode);
        var stale = new List<StixObjectRecord>();
        foreach (var row in pending)
        {
            if (row.RibatObjectId is { } id && indicators.TryGetValue(id, out var indicator) && Render(row, indicator, terms) is { } json)
            {
                row.Json = json;
                Recent.Add((row.Id, row.StixId, row.Version), json);
            }
            else
            {
                stale.Add(row);
            }
        }

        foreach (var slice in stale.Chunk(500))
        {
            var ids = slice.Select(r => r.Id).ToList();
            var kept = await db.StixObjects.IgnoreQueryFilters().AsNoTracking().Where(s => ids.Contains(s.Id) && s.Json != string.Empty)
                .Select(s => new { s.Id, s.Json }).ToDictionaryAsync(s => s.Id, s => s.Json, cancellationToken);
            foreach (var row in slice)
            {
                if (kept.TryGetValue(row.Id, out var json))
                {
                    row.Json = json;
                }
            }
        }

        return [.. rows.Where(r => !IsRendered(r))];
    }

    /// <summary>The indicator rows <paramref name="ids"/>, whoever may see them (each version is filtered on its own terms), compiled: a page of versions asks on every read.</summary>
    private static readonly PerProvider<Func<RibatDbContext, Guid[], IAsyncEnumerable<Indicators.Indicator>>> IndicatorsAsync = new(() =>
        EF.CompileAsyncQuery((RibatDbContext db, Guid[] ids) => db.Indicators.IgnoreQueryFilters().AsNoTracking().Where(i => ids.Contains(i.Id))));

    /// <summary>
    /// Keeps the JSON of <paramref name="indicator"/>'s newest version, rendered from the row as it stands, before the
    /// caller changes the row; the caller saves in its transaction.
    /// </summary>
    public static async Task SealAsync(RibatDbContext db, Indicators.Indicator indicator, Guid localNode, CancellationToken cancellationToken)
    {
        if (indicator.StixDateAdded is not null)
        {
            // The versions served from the row (ADR 0017) are kept as they read, at their dates, under the row's terms.
            var grants = await db.ShareGrants.AsNoTracking().Where(g => g.ObjectId == indicator.Id).ToListAsync(cancellationToken);
            var current = SharedColumns.ToTerms(indicator, grants, localNode);
            foreach (var version in IndicatorVersions.Of(indicator, localNode))
            {
                version.Id = Common.RowIds.Next();
                db.StixObjects.Add(version);
                db.ShareGrants.AddRange(SharedColumns.Grants(version.Id, current, localNode, version.DateAdded));
            }

            indicator.StixDateAdded = null;
            return;
        }

        var newest = await db.StixObjects.IgnoreQueryFilters()
            .Where(s => s.RibatObjectId == indicator.Id && s.Type == "indicator" && s.Json == string.Empty)
            .ToListAsync(cancellationToken);
        var terms = new TermsCache(localNode);
        foreach (var row in newest)
        {
            row.Json = Render(row, indicator, terms)
                ?? throw new InvalidOperationException($"The version {row.Version} of {row.StixId} kept without JSON no longer matches its indicator.");
        }
    }

    /// <summary>The JSON of <paramref name="row"/> from <paramref name="indicator"/>; null when the indicator has changed since.</summary>
    private static string? Render(StixObjectRecord row, Indicators.Indicator indicator, TermsCache terms)
    {
        // An observable kept without JSON has an id derived from the indicator's value, which never changes.
        StixObject? stix = row.Type == "indicator"
            ? RibatToStix.IndicatorVersion(indicator) == row.Version ? RibatToStix.IndicatorObject(indicator, terms.Of(row)) : null
            : RibatToStix.Observable(indicator, terms.Of(row), row.StixId);
        return stix is not null && stix.Id == row.StixId && stix.Type == row.Type ? System.Text.Encoding.UTF8.GetString(StixSerializer.WriteObject(stix)) : null;
    }

    /// <summary>
    /// The JSON rendered lately, by version (row, object and version: the current versions an indicator row serves share
    /// its id). A version's JSON never changes: a change adds a version, and a deletion removes the row, which no reader
    /// is given again. So a version rendered once is served again without reading its indicator.
    /// </summary>
    private static readonly RenderedLately<(Guid, string, string), string> Recent = new(8 * 1024 * 1024, json => json.Length);

    /// <summary>
    /// The terms of each distinct set of sharing-term columns, built once: the extension's body is written once per
    /// terms object, and a page's versions mostly share their terms.
    /// </summary>
    private sealed class TermsCache(Guid localNode)
    {
        private readonly Dictionary<(Guid, Guid?, Tlp, Pap, DistributionKind, Guid?, HandlingCodes, string?, string?), SharingTerms> _terms = [];

        public SharingTerms Of(StixObjectRecord row)
        {
            var key = (row.OwnerOrganisationId, row.OwnerNode, row.Tlp, row.Pap, row.Distribution, row.SharingGroupId, row.Handling, row.HandlingConditions, row.Evaluation);
            if (!_terms.TryGetValue(key, out var terms))
            {
                terms = SharedColumns.ToTerms(row, [], localNode);
                _terms[key] = terms;
            }

            return terms;
        }
    }
}
