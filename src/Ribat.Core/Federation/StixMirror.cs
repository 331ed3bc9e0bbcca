using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;

namespace Ribat.Core.Federation;

/// <summary>
/// Keeps <c>stix_objects</c> in step with Ribat's own indicators, reports and sightings: the write paths of the
/// Indicators module call it inside their transaction, so a Ribat object and its STIX version commit together.
/// A change adds a version (the older ones stay, as TAXII serves every version); a deletion removes them all.
/// </summary>
internal static class StixMirror
{
    /// <summary>Below this many indicators their STIX versions are built on the calling thread; above it, on every core.</summary>
    private const int ParallelFrom = 2048;

    /// <summary>
    /// Adds the STIX version of changed <paramref name="indicators"/> (and of their report, which now holds them), each
    /// under its own terms, read from its grants. The indicator's version and its observable's are kept without JSON,
    /// rendered when read (<see cref="RenderedVersions"/>); a caller changing an indicator seals its newest version
    /// first (<see cref="SealAsync"/>).
    /// </summary>
    public static async Task IndicatorsAsync(RibatDbContext db, IReadOnlyList<Indicators.Indicator> indicators, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (indicators.Count == 0)
        {
            return;
        }

        var grants = await GrantsAsync(db, indicators.Select(i => i.Id), cancellationToken);
        var added = Build(indicators, row => SharedColumns.ToTerms(row, grants, localNode), localNode);
        await StixObjectStore.AddAsync(db, added, localNode, clock, cancellationToken);
        await ReportsOfAsync(db, indicators, localNode, clock, cancellationToken);
    }

    /// <summary>
    /// The STIX versions of a recorded batch, every row under <paramref name="terms"/>. Nothing here reads or writes the
    /// database, so the recording builds them on the other cores while its connection writes the indicators;
    /// <see cref="RecordedAsync"/> then writes them.
    /// </summary>
    public static List<(StixObjectRecord Row, SharingTerms Terms)> BuildRecorded(IReadOnlyList<Indicators.Indicator> indicators, SharingTerms terms, Guid localNode) =>
        Build(indicators, _ => terms, localNode);

    /// <summary>
    /// Writes the versions <see cref="BuildRecorded"/> built for <paramref name="indicators"/> (and a version of their
    /// report). The indicators were written past the change tracker, and so are their versions.
    /// </summary>
    public static async Task RecordedAsync(RibatDbContext db, IReadOnlyList<Indicators.Indicator> indicators, List<(StixObjectRecord Row, SharingTerms Terms)> built, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        await StixObjectStore.WriteManyAsync(db, built, localNode, clock, cancellationToken);
        await ReportsOfAsync(db, indicators, localNode, clock, cancellationToken);
    }

    private static List<(StixObjectRecord Row, SharingTerms Terms)> Build(IReadOnlyList<Indicators.Indicator> indicators, Func<Indicators.Indicator, SharingTerms> termsOf, Guid localNode)
    {
        var built = new List<(StixObjectRecord, SharingTerms)>[indicators.Count];
        void BuildOne(int i)
        {
            var row = indicators[i];
            var terms = termsOf(row);
            built[i] = [.. RibatToStix.Indicator(row, terms).Select(stix => (Record(stix, terms, localNode, row.Id, row.CreatedBy, RenderedVersions.MayRender(stix)), terms))];
        }

        if (indicators.Count < ParallelFrom)
        {
            for (var i = 0; i < indicators.Count; i++)
            {
                BuildOne(i);
            }
        }
        else
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, indicators.Count, 512), range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    BuildOne(i);
                }
            });
        }

        return built.SelectMany(b => b).ToList();
    }

    private static async Task ReportsOfAsync(RibatDbContext db, IReadOnlyList<Indicators.Indicator> indicators, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        foreach (var reportId in indicators.Where(i => i.ReportId is not null).Select(i => i.ReportId!.Value).Distinct())
        {
            await ReportAsync(db, reportId, localNode, clock, cancellationToken);
        }
    }

    /// <summary>
    /// Keeps the JSON of <paramref name="indicator"/>'s newest STIX version, before the caller changes the row: that
    /// version is rendered from the row while it is current, and must go on saying what it said once superseded.
    /// </summary>
    public static Task SealAsync(RibatDbContext db, Indicators.Indicator indicator, Guid localNode, CancellationToken cancellationToken) =>
        RenderedVersions.SealAsync(db, indicator, localNode, cancellationToken);

    /// <summary>Adds a version of the report over the indicators it holds now (saved and unsaved).</summary>
    public static async Task ReportAsync(RibatDbContext db, Guid reportId, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var report = db.Reports.Local.FirstOrDefault(r => r.Id == reportId)
            ?? await db.Reports.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId, cancellationToken);
        if (report is null)
        {
            return;
        }

        var held = await db.Indicators.IgnoreQueryFilters().Where(i => i.ReportId == reportId).Select(i => i.Id).ToListAsync(cancellationToken);
        held.AddRange(db.Indicators.Local.Where(i => i.ReportId == reportId && !held.Contains(i.Id)).Select(i => i.Id));
        var terms = SharedColumns.ToTerms(report, await GrantsAsync(db, [reportId], cancellationToken), localNode);
        if (RibatToStix.Report(report, terms, held) is { } stix)
        {
            await StixObjectStore.AddAsync(db, [(Record(stix, terms, localNode, report.Id, report.CreatedBy), terms)], localNode, clock, cancellationToken);
        }
    }

    public static async Task SightingAsync(RibatDbContext db, Indicators.Sighting row, SharingTerms terms, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var stix = RibatToStix.Sighting(row, terms);
        await StixObjectStore.AddAsync(db, [(Record(stix, terms, localNode, row.Id, row.CreatedBy), terms)], localNode, clock, cancellationToken);
    }

    /// <summary>
    /// Adds a version of one of Ribat's own custom objects (an incident, a request), built as JSON by its module, under
    /// <paramref name="terms"/>: the TLP marking and the sharing-terms extension (with the named recipients) are put on
    /// it here. The object carries its <c>type</c>, <c>spec_version</c>, <c>id</c>, <c>created</c> and a <c>modified</c>
    /// later than its last version's (<see cref="NextModified"/>). Its named recipients on partner nodes receive it.
    /// </summary>
    public static async Task CustomAsync(RibatDbContext db, System.Text.Json.Nodes.JsonObject stix, SharingTerms terms, Guid? createdBy, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        RibatStixExtension.Apply(stix, terms);
        using var document = System.Text.Json.JsonDocument.Parse(stix.ToJsonString());
        var row = StixObjectStore.Describe(document.RootElement, terms, localNode, StixOrigin.Local, createdBy, out var error)
            ?? throw new InvalidOperationException($"A custom object Ribat built cannot be stored: {error}");
        if (!Guid.TryParse(row.StixId.AsSpan(row.StixId.IndexOf("--", StringComparison.Ordinal) + 2), out var ribatId))
        {
            throw new InvalidOperationException($"A custom object Ribat built has no UUID in its id: {row.StixId}");
        }

        row.RibatObjectId = ribatId;
        await StixObjectStore.AddAsync(db, [(row, terms)], localNode, clock, cancellationToken);
    }

    /// <summary>
    /// The <c>modified</c> of the newest version of <paramref name="stixId"/> this node holds, added in this transaction
    /// or stored; null when it holds none. With <see cref="NextModified"/> it dates an object's next version.
    /// </summary>
    public static async Task<string?> LastVersionAsync(RibatDbContext db, string stixId, CancellationToken cancellationToken) =>
        db.StixObjects.Local.Where(s => s.StixId == stixId).OrderByDescending(s => s.VersionAt).Select(s => s.Version).FirstOrDefault()
        ?? await db.StixObjects.IgnoreQueryFilters().AsNoTracking().Where(s => s.StixId == stixId)
            .OrderByDescending(s => s.VersionAt).Select(s => s.Version).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The <c>modified</c> of a new version at <paramref name="now"/>: STIX milliseconds, and at least one millisecond
    /// after <paramref name="previous"/> (the last version's), so two changes in one millisecond stay two versions.
    /// </summary>
    public static string NextModified(DateTimeOffset now, string? previous)
    {
        var at = StixTimestamp.FromDateTime(now.UtcDateTime);
        if (previous is not null && StixTimestamp.TryParse(previous, out var last, out _) && at <= last)
        {
            at = StixTimestamp.FromDateTime(last.UtcDateTime.AddMilliseconds(1));
        }

        return at.ToString();
    }

    /// <summary>The row of a version Ribat built; with <paramref name="rendered"/>, kept without JSON (<see cref="RenderedVersions"/>).</summary>
    private static StixObjectRecord Record(StixObject stix, SharingTerms terms, Guid localNode, Guid ribatId, Guid? createdBy, bool rendered = false)
    {
        var json = rendered ? string.Empty : System.Text.Encoding.UTF8.GetString(StixSerializer.WriteObject(stix));
        var row = StixObjectStore.Describe(stix, json, terms, localNode, StixOrigin.Local, createdBy);
        row.RibatObjectId = ribatId;
        return row;
    }

    private static async Task<List<ShareGrant>> GrantsAsync(RibatDbContext db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var list = ids.Distinct().ToList();
        var stored = await db.ShareGrants.AsNoTracking().Where(g => list.Contains(g.ObjectId)).ToListAsync(cancellationToken);
        stored.AddRange(db.ChangeTracker.Entries<ShareGrant>()
            .Where(e => e.State == EntityState.Added && list.Contains(e.Entity.ObjectId))
            .Select(e => e.Entity));
        return stored;
    }
}
