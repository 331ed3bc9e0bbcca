using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;

namespace Ribat.Core.Federation;

/// <summary>
/// Keeps the STIX versions of Ribat's own indicators, reports and sightings in step with them: the write paths of the
/// Indicators module call it inside their transaction, so a Ribat object and its STIX version commit together. An
/// indicator's current versions are its row, dated here (ADR 0017); a report's and a sighting's are rows of
/// <c>stix_objects</c>. A change adds a version (the older ones stay, as TAXII serves every version); a deletion
/// removes them all.
/// </summary>
internal static class StixMirror
{
    /// <summary>
    /// Dates the new current versions of changed <paramref name="indicators"/> (served from their rows, ADR 0017) and adds
    /// a version of their report, which now holds them. A caller changing an indicator seals its current versions first
    /// (<see cref="SealAsync"/>).
    /// </summary>
    public static async Task IndicatorsAsync(RibatDbContext db, IReadOnlyList<Indicators.Indicator> indicators, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        await StixObjectStore.DateIndicatorsAsync(db, indicators, clock, cancellationToken);
        await ReportsOfAsync(db, indicators, localNode, clock, cancellationToken);
    }

    /// <summary>
    /// Dates the current versions of a recorded batch before its rows are written: the rows themselves then stand for
    /// them, and nothing more is written for them.
    /// </summary>
    public static Task DateRecordedAsync(RibatDbContext db, IReadOnlyList<Indicators.Indicator> indicators, TimeProvider clock, CancellationToken cancellationToken) =>
        StixObjectStore.DateIndicatorsAsync(db, indicators, clock, cancellationToken);

    /// <summary>Adds a version of the report of a recorded batch (once its rows are written), which now holds them.</summary>
    public static Task RecordedAsync(RibatDbContext db, IReadOnlyList<Indicators.Indicator> indicators, Guid localNode, TimeProvider clock, CancellationToken cancellationToken) =>
        ReportsOfAsync(db, indicators, localNode, clock, cancellationToken);

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

    /// <summary>The row of a version Ribat built, with its JSON.</summary>
    private static StixObjectRecord Record(StixObject stix, SharingTerms terms, Guid localNode, Guid ribatId, Guid? createdBy)
    {
        var json = System.Text.Encoding.UTF8.GetString(StixSerializer.WriteObject(stix));
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
