using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

public sealed record MetricsQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Period = null, bool Exercise = false);

public sealed record CountDto(string Key, int Count);

/// <summary>The dashboard: response times overall, per organisation, per country and per period, and what is open now.</summary>
public sealed record MetricsDto(
    DateTimeOffset From,
    DateTimeOffset To,
    string Period,
    int Incidents,
    IReadOnlyList<MetricSummary> Overall,
    IReadOnlyList<MetricSummary> ByOrganisation,
    IReadOnlyList<MetricSummary> ByCountry,
    IReadOnlyList<MetricSummary> ByPeriod,
    IReadOnlyList<CountDto> OpenBySeverity,
    IReadOnlyList<CountDto> OpenByStatus,
    IReadOnlyDictionary<Guid, string> OrganisationNames);

/// <summary>Per-incident measurements with the organisations they belong to.</summary>
public sealed record IncidentMetricsDto(Guid IncidentId, IReadOnlyList<Measurement> Measurements);

/// <summary>
/// Computes the response metrics over the incidents the actor may see (the sharing policy decides), reported in
/// the window. Exercise incidents are measured apart from real ones.
/// </summary>
public sealed class ReadMetrics(SharingAccess sharing, TimeProvider clock)
{
    public const int MaxIncidents = 20_000;

    public async Task<Result<MetricsDto>> HandleAsync(Actor actor, MetricsQuery query, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var to = query.To ?? now;
        var from = query.From ?? to.AddDays(-90);
        var period = string.IsNullOrWhiteSpace(query.Period) ? "month" : query.Period.Trim().ToLowerInvariant();
        var v = new Validation()
            .Require(period is "day" or "week" or "month", "period", $"'{query.Period}' is not a period (day, week, month).")
            .Require(from < to, "from", "The window starts before it ends.")
            .Require(to - from <= TimeSpan.FromDays(3660), "from", "The window spans at most ten years.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var incidents = await session.Db.Incidents.Include(i => i.Participants).AsNoTracking()
            .Where(i => i.IsExercise == query.Exercise && i.ReportedAt >= from && i.ReportedAt < to)
            .OrderByDescending(i => i.ReportedAt).Take(MaxIncidents).ToListAsync(cancellationToken);
        var open = await session.Db.Incidents.AsNoTracking()
            .Where(i => i.IsExercise == query.Exercise && i.Status != IncidentStatus.Closed && i.Status != IncidentStatus.Rejected && i.Status != IncidentStatus.Merged)
            .GroupBy(i => new { i.Severity, i.Status }).Select(g => new { g.Key.Severity, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);

        var measurements = incidents.SelectMany(i => ResponseMetrics.Measure(ClocksOf(i))).ToList();
        var organisations = measurements.Select(m => m.OrganisationId).Distinct().ToList();
        var known = await session.Db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => organisations.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => (o.Name, o.Country), cancellationToken);
        var elsewhere = organisations.Where(o => !known.ContainsKey(o)).ToList();
        foreach (var o in await session.Db.PartnerOrganisations.IgnoreQueryFilters().AsNoTracking().Where(o => elsewhere.Contains(o.Id)).ToListAsync(cancellationToken))
        {
            // Partner incidents measure organisations on partner nodes: per country as their node described them.
            known.TryAdd(o.Id, (o.Name, o.Country));
        }

        return new MetricsDto(
            from, to, period, incidents.Count,
            ResponseMetrics.Summarise(measurements, _ => "all"),
            ResponseMetrics.Summarise(measurements, m => m.OrganisationId.ToString()),
            ResponseMetrics.Summarise(measurements, m => known.TryGetValue(m.OrganisationId, out var o) ? o.Country : "??"),
            ResponseMetrics.Summarise(measurements, m => ResponseMetrics.PeriodOf(m.At, period)),
            Enum.GetValues<IncidentSeverity>().Select(s => new CountDto(s.Spell(), open.Where(o => o.Severity == s).Sum(o => o.Count))).ToList(),
            Enum.GetValues<IncidentStatus>().Where(IncidentStatusMachine.IsOpen).Select(s => new CountDto(s.Spell(), open.Where(o => o.Status == s).Sum(o => o.Count))).ToList(),
            known.ToDictionary(k => k.Key, k => k.Value.Name));
    }

    public async Task<Result<IncidentMetricsDto>> OfIncidentAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Incidents.Include(i => i.Participants).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return row is null ? Error.NotFound("The incident") : new IncidentMetricsDto(row.Id, ResponseMetrics.Measure(ClocksOf(row)).ToList());
    }

    internal static IncidentClocks ClocksOf(Incident i) => new(
        i.Id, i.OwnerOrganisationId, i.ReportedAt, i.FirstSharedAt, i.ContainedAt, i.ResolvedAt, i.Status == IncidentStatus.Closed,
        i.Participants.Select(p => new ParticipantClocks(p.OrganisationId, p.JoinedAt, p.AcknowledgedAt, p.FirstActionAt)).ToList());
}
