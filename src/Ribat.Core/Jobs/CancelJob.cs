using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Jobs;

/// <summary>
/// Stops a job: one still waiting is cancelled at once; a running one is asked to stop, and the worker cancels it at
/// its next progress beat, keeping nothing of what it had read. A job that has ended cannot be cancelled (409).
/// </summary>
public sealed class CancelJob(SharingAccess sharing, AuditTrail audit, ReadJobs read, TimeProvider clock)
{
    public async Task<Result<JobDto>> HandleAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.AnalysisJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (row is null || !session.Decide(row, await session.GrantsAsync([row.Id], cancellationToken)).MaySee)
        {
            return Error.NotFound("The job");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id || actor.UserId is not { } userId)
        {
            return Error.Forbidden("Only the organisation that owns the case or incident cancels its analyses.");
        }

        if (!JobRules.MayRun(actor))
        {
            return Error.Forbidden("Cancelling analyses needs the investigator, analyst or org-admin role and a token that may write.");
        }

        if (JobRules.IsFinished(row.Status))
        {
            return Error.Conflict($"The job has {JobRules.Spell(row.Status)} already; there is nothing to cancel.");
        }

        var now = clock.GetUtcNow();
        await using (var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken))
        {
            // A waiting job is cancelled here; a running one (or one the worker claimed a moment ago) is asked to stop.
            var stopped = await session.Db.AnalysisJobs.Where(j => j.Id == id && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, JobStatus.Cancelled).SetProperty(j => j.FinishedAt, now)
                    .SetProperty(j => j.CancelRequested, true).SetProperty(j => j.CancelledBy, userId)
                    .SetProperty(j => j.Error, "Cancelled before it ran."), cancellationToken);
            var asked = stopped == 1 ? 0 : await session.Db.AnalysisJobs.Where(j => j.Id == id && j.Status == JobStatus.Running)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.CancelRequested, true).SetProperty(j => j.CancelledBy, userId), cancellationToken);
            if (stopped + asked == 0)
            {
                return Error.Conflict("The job ended a moment ago; there is nothing to cancel.");
            }

            audit.Add(session.Db, actor, AuditEvents.JobCancelRequested, row.OwnerOrganisationId, "job", id.ToString(),
                new { caseId = row.CaseId, incidentId = row.IncidentId, state = stopped == 1 ? "queued" : "running" });
            await session.Db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return await read.GetAsync(actor, id, cancellationToken);
    }
}
