using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Jobs;

/// <summary>
/// Runs the node's analysis jobs one at a time, oldest first, for as long as the node serves. A job is claimed with
/// one conditional update (queued → running), so two instances sharing a database never run the same one. While it
/// runs, a heartbeat writes its progress and reads whether it was cancelled. A running job whose heartbeat stopped
/// (the node was restarted or killed) is failed with that reason, at start and at every poll.
/// </summary>
internal sealed class JobWorker(RibatDatabase database, RunJob run, AuditTrail audit, JobSignal signal, IOptions<JobOptions> options, TimeProvider clock, ILogger<JobWorker> log)
    : BackgroundService
{
    public const string Interrupted = "Interrupted by a restart of the node before it finished; nothing of it was kept. Start it again.";

    private static readonly Actor System = Actor.System("analysis worker");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await FailStaleAsync(stoppingToken);
                    while (await ClaimAsync(stoppingToken) is { } job)
                    {
                        await run.RunAsync(job, stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogError(ex, "The analysis worker's pass failed; it tries again at the next poll.");
                }

                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping: a running job stops with it and is failed as interrupted at the next start.
        }
    }

    /// <summary>Fails every running job that has not beaten for <see cref="JobOptions.StaleAfter"/>.</summary>
    internal async Task<int> FailStaleAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stale = now - options.Value.StaleAfter;
        await using var db = database.Open(TenantScope.NodeWide("analysis worker"));
        var rows = await db.AnalysisJobs.AsNoTracking().Where(j => j.Status == JobStatus.Running)
            .Select(j => new { j.Id, j.CaseId, j.IncidentId, j.OwnerOrganisationId, j.HeartbeatAt, j.StartedAt }).ToListAsync(cancellationToken);
        var failed = 0;
        foreach (var row in rows.Where(r => (r.HeartbeatAt ?? r.StartedAt ?? now) < stale))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var changed = await db.AnalysisJobs.Where(j => j.Id == row.Id && j.Status == JobStatus.Running && j.HeartbeatAt == row.HeartbeatAt)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, JobStatus.Failed).SetProperty(j => j.FinishedAt, now)
                    .SetProperty(j => j.Error, Interrupted).SetProperty(j => j.Phase, (string?)null), cancellationToken);
            if (changed == 1)
            {
                audit.Add(db, System, AuditEvents.JobFailed, row.OwnerOrganisationId, "job", row.Id.ToString(), new { caseId = row.CaseId, incidentId = row.IncidentId, reason = "interrupted" });
                await db.SaveChangesAsync(cancellationToken);
                failed++;
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (failed > 0)
        {
            log.LogWarning("{Count} analysis job(s) were cut off by a restart and are marked failed.", failed);
        }

        return failed;
    }

    /// <summary>The oldest waiting job, now marked running; null when none waits.</summary>
    private async Task<AnalysisJob?> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var db = database.Open(TenantScope.NodeWide("analysis worker"));
        while (true)
        {
            var next = await db.AnalysisJobs.AsNoTracking().Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.Id)
                .Select(j => j.Id).FirstOrDefaultAsync(cancellationToken);
            if (next == Guid.Empty)
            {
                return null;
            }

            var now = clock.GetUtcNow();
            var claimed = await db.AnalysisJobs.Where(j => j.Id == next && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, JobStatus.Running).SetProperty(j => j.StartedAt, now)
                    .SetProperty(j => j.HeartbeatAt, now).SetProperty(j => j.Phase, "verifying"), cancellationToken);
            if (claimed == 1)
            {
                return await db.AnalysisJobs.AsNoTracking().FirstAsync(j => j.Id == next, cancellationToken);
            }
        }
    }
}
