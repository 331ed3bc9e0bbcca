using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Indicators;

public sealed class CorrelationOptions
{
    /// <summary>A value held by more visible objects than this is over-correlating: counted, never expanded.</summary>
    public int MaxPostings { get; set; } = 1000;

    /// <summary>How many related objects of each kind one answer lists.</summary>
    public int MaxListed { get; set; } = 100;

    /// <summary>
    /// How far a related group (the networks around an address, the addresses in a network, the names under a
    /// registered domain) is counted. Related values are context, not correlation: that a popular domain has 400 or
    /// 4,000 names changes nothing an analyst does next, while counting them costs a walk of every one of them, and
    /// on a store of millions those walks were the slowest part of a search.
    /// </summary>
    public int MaxRelated { get; set; } = 100;
}

/// <summary>
/// Values related to the one searched, newest first (addresses in a network in address order). <see cref="Count"/> is
/// exact unless <see cref="OverCorrelating"/>, which means there are more than <see cref="CorrelationOptions.MaxRelated"/>;
/// the newest are listed either way.
/// </summary>
public sealed record RelatedGroup(string Relation, bool OverCorrelating, int Count, IReadOnlyList<IndicatorDto> Indicators);

/// <summary>Everything the viewer may see that holds, contains or shares a registered domain with one value.</summary>
public sealed record ValueCorrelation(
    string Type,
    string Value,
    string Display,
    string? RegisteredDomain,
    string? WarningList,
    bool OverCorrelating,
    int Holders,
    IReadOnlyList<IndicatorDto> Indicators,
    IReadOnlyList<ReportRef> Reports,
    IReadOnlyList<SightingDto> Sightings,
    IReadOnlyList<RelatedGroup> Related);

public sealed record ReportRef(Guid Id, string Title, string Tlp);

public sealed record CorrelationResult(string Query, IReadOnlyList<ValueCorrelation> Values, string? Problem);

/// <summary>
/// The search box: refang and read any value, then look up, through the sharing predicate, every indicator
/// holding it, the reports and sightings around them, the networks containing an address (or the addresses a
/// network contains) and the names under the same registered domain. Each step is a bounded index probe, so the
/// time depends on the answer, not on the store. Nothing hidden from the viewer is counted, listed or hinted at.
/// </summary>
public sealed class Correlate(SharingAccess sharing, ReadIndicators read, WarningLists warningLists, AuditTrail audit, IOptions<CorrelationOptions> options)
{
    public async Task<Result<CorrelationResult>> HandleAsync(Actor actor, string? query, string? type = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return Error.Validation("q", "Type a value to search for.");
        }

        IReadOnlyList<CanonicalIndicator> candidates;
        if (!string.IsNullOrWhiteSpace(type))
        {
            if (!IndicatorTypes.TryCanonicalise(type, query, out var typed, out var reason))
            {
                return Error.Validation("q", reason);
            }

            candidates = [typed!];
        }
        else
        {
            candidates = IndicatorTypes.Guess(query).DistinctBy(c => c.ValueKey).ToList();
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (candidates.Count == 0)
        {
            return new CorrelationResult(query.Trim(), [], "The text is not a value of any indicator type.");
        }

        var index = await warningLists.IndexAsync(cancellationToken);
        var values = new List<ValueCorrelation>();
        foreach (var candidate in candidates)
        {
            values.Add(await CorrelateAsync(session, candidate, index, cancellationToken));
        }

        await audit.WriteLookupAsync(actor, AuditEvents.IntelligenceSearched, actor.OrganisationId, "value", null,
            new { types = candidates.Select(c => c.Type).ToArray(), found = values.Sum(v => v.Holders) }, cancellationToken);
        return new CorrelationResult(query.Trim(), values, null);
    }

    private async Task<ValueCorrelation> CorrelateAsync(ContentSession session, CanonicalIndicator value, Forensics.Ioc.WarningListIndex index, CancellationToken cancellationToken)
    {
        var cap = options.Value.MaxPostings;
        var listed = options.Value.MaxListed;
        var db = session.Db;

        var holders = await CorrelationProbes.HoldersAsync(db, value, cap, cancellationToken);
        var over = holders.Count > cap;
        var warning = ObservableMatch.WarningListFor(index, new Indicator { Type = value.Type, Value = value.Value, Display = value.Display });
        if (over)
        {
            return new ValueCorrelation(value.Type, value.Value, value.Display, value.RegisteredDomain, warning, true, holders.Count, [], [], [], []);
        }

        var shown = await CorrelationProbes.RowsAsync(db, holders.Take(listed).Select(h => h.Id).ToList(), cancellationToken);
        var reportIds = holders.Where(h => h.ReportId is not null).Select(h => h.ReportId!.Value).Distinct().ToList();
        var reports = reportIds.Count == 0 ? [] : await db.Reports.AsNoTracking()
            .Where(r => reportIds.Contains(r.Id))
            .OrderByDescending(r => r.Id)
            .Take(listed)
            .Select(r => new ReportRef(r.Id, r.Title, r.Tlp.Spell()))
            .ToListAsync(cancellationToken);

        var sightingRows = await db.Sightings.AsNoTracking()
            .Where(s => s.ValueKey == value.ValueKey && s.Value == value.Value)
            .OrderByDescending(s => s.Id)
            .Take(listed)
            .ToListAsync(cancellationToken);
        var sightingGrants = await session.GrantsAsync(sightingRows.Select(s => s.Id).ToList(), cancellationToken);
        var sightingNames = await OrganisationNames.OfAsync(db, sightingRows.Select(s => s.OwnerOrganisationId), cancellationToken);
        var sightings = sightingRows.Select(s => SightingDto.From(s, session.Decide(s, sightingGrants), sightingGrants, sightingNames.GetValueOrDefault(s.OwnerOrganisationId))).ToList();

        var related = new List<RelatedGroup>();
        var relatedCap = options.Value.MaxRelated;
        foreach (var (relation, query) in CorrelationProbes.Related(db, value, relatedCap))
        {
            var ids = await query.ToListAsync(cancellationToken);
            var rows = await CorrelationProbes.RowsAsync(db, ids.Take(listed).ToList(), cancellationToken);
            related.Add(new RelatedGroup(relation, ids.Count > relatedCap, ids.Count, rows.Count == 0 ? [] : await read.ToDtosAsync(session, rows, cancellationToken)));
        }

        return new ValueCorrelation(
            value.Type,
            value.Value,
            value.Display,
            value.RegisteredDomain,
            warning,
            false,
            holders.Count,
            await read.ToDtosAsync(session, shown, cancellationToken),
            reports,
            sightings,
            related);
    }
}
