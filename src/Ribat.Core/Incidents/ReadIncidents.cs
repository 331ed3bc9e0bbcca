using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Incidents;

/// <summary>Incidents the actor may see: those its organisation leads, takes part in, or sees through the sharing policy.</summary>
public sealed class ReadIncidents(SharingAccess sharing)
{
    public async Task<Result<IncidentDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Incidents.Include(i => i.Participants).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return row is null ? Error.NotFound("The incident") : (await IncidentRules.ToDtosAsync(session, actor, [row], cancellationToken))[0];
    }

    /// <summary>Newest first; <paramref name="open"/> keeps those still being worked; exercise incidents only when asked for.</summary>
    public async Task<Result<Page<IncidentDto>>> ListAsync(Actor actor, IncidentQuery query, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(query.Cursor, query.Limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        var v = new Validation();
        IncidentStatus? status = null;
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            v.Require(IncidentStatusMachine.TryParse(query.Status, out var parsed), "status", $"'{query.Status}' is not an incident status ({IncidentStatusMachine.Choices}).");
            status = parsed;
        }

        IncidentSeverity? severity = null;
        if (!string.IsNullOrWhiteSpace(query.Severity))
        {
            v.Require(IncidentSeverities.TryParse(query.Severity, out var parsed), "severity", $"'{query.Severity}' is not a severity ({IncidentSeverities.Choices}).");
            severity = parsed;
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        var (before, take) = page.Value;
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var rows = session.Db.Incidents.Include(i => i.Participants).AsNoTracking().Where(i => i.IsExercise == (query.Exercise || query.ExerciseId != null));
        if (query.ExerciseId is { } exerciseId)
        {
            rows = rows.Where(i => i.ExerciseId == exerciseId);
        }

        if (status is { } s)
        {
            rows = rows.Where(i => i.Status == s);
        }

        if (query.Open)
        {
            rows = rows.Where(i => i.Status != IncidentStatus.Closed && i.Status != IncidentStatus.Rejected && i.Status != IncidentStatus.Merged);
        }

        if (severity is { } sev)
        {
            rows = rows.Where(i => i.Severity == sev);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var text = query.Search.Trim().ToLowerInvariant();
            rows = rows.Where(i => i.Title.ToLower().Contains(text));
        }

        if (before is { } last)
        {
            rows = rows.Where(i => i.Id.CompareTo(last) < 0);
        }

        var found = await rows.OrderByDescending(i => i.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = await IncidentRules.ToDtosAsync(session, actor, found.Take(take).ToList(), cancellationToken);
        return new Page<IncidentDto>(items, found.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }
}

public sealed record IncidentQuery(string? Status = null, string? Severity = null, string? Search = null, bool Open = false, bool Exercise = false, string? Cursor = null, int? Limit = null, Guid? ExerciseId = null);
