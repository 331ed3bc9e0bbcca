using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Jobs;

/// <summary>The analysis jobs of a case or an incident, or one, for whoever the sharing policy lets see them (the case's audience).</summary>
public sealed class ReadJobs(SharingAccess sharing)
{
    public async Task<Result<JobDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.AnalysisJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The job");
        }

        var shown = await ShowAsync(session, actor, [row], cancellationToken);
        return shown.Count == 1 ? shown[0] : Error.NotFound("The job");
    }

    /// <summary>The case's jobs, newest first.</summary>
    public Task<Result<Page<JobDto>>> ListAsync(Actor actor, Guid caseId, string? cursor, int? limit, CancellationToken cancellationToken = default) =>
        ListAsync(actor, EvidenceParent.OfCase(caseId), cursor, limit, cancellationToken);

    /// <summary>The jobs of a case or an incident, newest first.</summary>
    public async Task<Result<Page<JobDto>>> ListAsync(Actor actor, EvidenceParent parent, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(cursor, limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await EvidenceParents.VisibleAsync(session, parent, cancellationToken))
        {
            return EvidenceParents.NotFound(parent);
        }

        var (before, take) = page.Value;
        var rows = parent.CaseId is { } caseId
            ? session.Db.AnalysisJobs.AsNoTracking().Where(j => j.CaseId == caseId)
            : session.Db.AnalysisJobs.AsNoTracking().Where(j => j.IncidentId == parent.IncidentId);
        if (before is { } last)
        {
            rows = rows.Where(j => j.Id.CompareTo(last) < 0);
        }

        var found = await rows.OrderByDescending(j => j.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = await ShowAsync(session, actor, found.Take(take).ToList(), cancellationToken);
        return new Page<JobDto>(items, found.Count > take ? Cursor.Encode(found[take - 1].Id) : null);
    }

    private static async Task<List<JobDto>> ShowAsync(ContentSession session, Actor actor, List<AnalysisJob> rows, CancellationToken cancellationToken)
    {
        var grants = (await session.GrantsAsync([.. rows.Select(r => r.Id)], cancellationToken)).ToLookup(g => g.ObjectId);
        return rows.Select(r => (Row: r, Decision: session.Decide(r, grants[r.Id])))
            .Where(x => x.Decision.MaySee)
            .Select(x => JobRules.ToDto(x.Row, x.Decision.Relation == ViewerRelation.Owner, actor))
            .ToList();
    }
}
