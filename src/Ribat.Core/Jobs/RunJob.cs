using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Evidence;
using Ribat.Core.Indicators;
using Ribat.Core.Node;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Enrichment;

namespace Ribat.Core.Jobs;

/// <summary>
/// Runs one claimed job to its end: re-verifies each item's stored file against its acquisition hashes, runs the
/// analysis, records the sightings of matched indicators, then writes its findings, an "analyse" custody entry per
/// item, the job's end and the audit row in one transaction. A failure, a cancel or a crash keeps no finding.
/// </summary>
internal sealed class RunJob(
    RibatDatabase database, LocalNode node, ContentStore store, AuditTrail audit, HuntAnalysis hunt, CaptureAnalysis capture, Sightings sightings,
    IOptions<JobOptions> options, TimeProvider clock, ILogger<RunJob> log)
{
    public async Task RunAsync(AnalysisJob job, CancellationToken stoppingToken)
    {
        var actor = new Actor(job.StartedBy, job.StartedByName, job.OwnerOrganisationId,
            job.StartedByRoles.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
        var progress = new JobProgress(job.ProgressTotal);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var beating = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = BeatAsync(job.Id, progress, cancel, beating.Token);
        Result<JobOutcome> outcome;
        try
        {
            outcome = await AnalyseAsync(job, actor, progress, cancel.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            outcome = Error.Conflict("cancelled");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Analysis job {Job} stopped on an unexpected error.", job.Id);
            outcome = Error.Validation("evidenceIds", $"The analysis stopped: {ex.Message}");
        }
        finally
        {
            await beating.CancelAsync();
            await heartbeat;
        }

        if (outcome.Error is { } failed)
        {
            var cancelled = cancel.IsCancellationRequested && !stoppingToken.IsCancellationRequested;
            await EndAsync(job, actor, cancelled ? JobStatus.Cancelled : JobStatus.Failed, cancelled ? "Cancelled while it ran; nothing of it was kept." : failed.Message, CancellationToken.None);
            return;
        }

        // Sightings go first, so a job seen as succeeded has recorded them all; they say what the evidence holds,
        // and stay even if a cancel arrives in the moment before the findings commit.
        if (!cancel.IsCancellationRequested)
        {
            await SightAsync(job, actor, outcome.Value!.Sightings);
        }

        if (cancel.IsCancellationRequested || !await CommitAsync(job, actor, outcome.Value!, progress.Read(), stoppingToken))
        {
            await EndAsync(job, actor, JobStatus.Cancelled, "Cancelled while it ran; nothing of it was kept.", CancellationToken.None);
        }
    }

    private async Task<Result<JobOutcome>> AnalyseAsync(AnalysisJob job, Actor actor, JobProgress progress, CancellationToken cancellationToken)
    {
        await using (var db = database.Open(TenantScope.NodeWide("analysis worker")))
        {
            var user = await db.Users.AsNoTracking().Where(u => u.Id == job.StartedBy).Select(u => new { u.Disabled, u.OrganisationId }).FirstOrDefaultAsync(cancellationToken);
            if (user is null || user.Disabled || user.OrganisationId != job.OwnerOrganisationId)
            {
                return Error.Forbidden("The user who started the analysis may no longer run it; nothing was read.");
            }
        }

        var items = await ItemsAsync(job, actor, cancellationToken);
        if (items.Error is { } unfit)
        {
            return unfit;
        }

        progress.Phase = "reading";
        using var enricher = OpenEnricher(out var unopened);
        if (unopened is not null)
        {
            log.LogWarning("The GeoIP databases could not be opened ({Problem}); analysis job {Job} runs without enrichment.", unopened, job.Id);
        }

        return job.Kind == JobKind.Hunt
            ? await hunt.RunAsync(job, actor, items.Value!, enricher, options.Value.MaxFindings, progress, cancellationToken)
            : await Task.Run(() => capture.Run(job, items.Value!, enricher, progress, cancellationToken), cancellationToken);
    }

    /// <summary>The job's items, each file re-verified first (a mismatch is written to the audit log and stops the job).</summary>
    private async Task<Result<List<JobItem>>> ItemsAsync(AnalysisJob job, Actor actor, CancellationToken cancellationToken)
    {
        List<EvidenceItem> rows;
        await using (var db = database.Open(TenantScope.NodeWide("analysis worker")))
        {
            rows = await db.EvidenceItems.AsNoTracking().Items(EvidenceParent.Of(job.CaseId, job.IncidentId)).Where(e => job.EvidenceIds.Contains(e.Id)).ToListAsync(cancellationToken);
        }

        var items = new List<JobItem>();
        foreach (var id in job.EvidenceIds)
        {
            if (rows.Find(r => r.Id == id) is not { } item)
            {
                return Error.Validation("evidenceIds", $"Evidence item {id} is no longer part of the {EvidenceParent.Of(job.CaseId, job.IncidentId).Noun}.");
            }

            var verified = await CustodyLog.ReverifyAsync(store, audit, actor, item, cancellationToken);
            if (verified.Error is { } tampered)
            {
                return tampered;
            }

            items.Add(new JobItem(item, store.PathOf(item.Sha256)));
        }

        return items;
    }

    private AddressEnricher? OpenEnricher(out string? problem)
    {
        problem = null;
        var o = options.Value;
        if (!o.HasGeoDatabases)
        {
            return null;
        }

        var opened = AddressEnricher.Open(o.AsnDatabase, o.CountryDatabase, o.CityDatabase);
        problem = opened.Error;
        return opened.Enricher;
    }

    /// <summary>Findings, custody entries, the job's success and its audit row, together; false when the job was cancelled first.</summary>
    private async Task<bool> CommitAsync(AnalysisJob job, Actor actor, JobOutcome outcome, (long Done, long Total, long Records, long Detections) final, CancellationToken cancellationToken)
    {
        await using var db = database.Open(TenantScope.NodeWide("analysis worker"));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var finished = await db.AnalysisJobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Running && !j.CancelRequested)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, JobStatus.Succeeded).SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.Phase, (string?)null).SetProperty(j => j.SummaryJson, outcome.SummaryJson)
                .SetProperty(j => j.ProgressDone, final.Done).SetProperty(j => j.ProgressTotal, final.Total)
                .SetProperty(j => j.Records, final.Records).SetProperty(j => j.Detections, final.Detections), cancellationToken);
        if (finished != 1)
        {
            return false;
        }

        var localNode = await node.IdAsync(cancellationToken);
        var terms = SharedColumns.ToTerms(job, await db.ShareGrants.AsNoTracking().Where(g => g.ObjectId == job.Id).ToListAsync(cancellationToken), localNode);
        foreach (var finding in outcome.Findings)
        {
            SharedColumns.Apply(finding, terms, localNode);
            db.Findings.Add(finding);
            db.ShareGrants.AddRange(SharedColumns.Grants(finding.Id, terms, localNode, now));
        }

        foreach (var id in job.EvidenceIds)
        {
            var tracked = await db.EvidenceItems.FirstAsync(e => e.Id == id, cancellationToken);
            await CustodyLog.AppendAsync(db, tracked, new CustodyEntry
            {
                Action = CustodyAction.Analyse,
                OccurredAt = now,
                ActorUserId = job.StartedBy,
                ActorName = job.StartedByName,
                Notes = outcome.CustodyNote.Length <= EvidenceRules.MaxText ? outcome.CustodyNote : outcome.CustodyNote[..EvidenceRules.MaxText],
                VerifiedSha256 = tracked.Sha256,
            }, cancellationToken);
        }

        audit.Add(db, actor, AuditEvents.JobSucceeded, job.OwnerOrganisationId, "job", job.Id.ToString(),
            new { caseId = job.CaseId, incidentId = job.IncidentId, kind = JobRules.Spell(job.Kind), findings = outcome.Findings.Count, sightings = outcome.Sightings.Count });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Ends a job that did not succeed; a job ended meanwhile (failed as stale) is left as it is.</summary>
    private async Task EndAsync(AnalysisJob job, Actor actor, JobStatus status, string reason, CancellationToken cancellationToken)
    {
        await using var db = database.Open(TenantScope.NodeWide("analysis worker"));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var text = reason.Length <= 2000 ? reason : reason[..2000];
        var changed = await db.AnalysisJobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, status).SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.Phase, (string?)null).SetProperty(j => j.Error, text), cancellationToken);
        if (changed == 1)
        {
            audit.Add(db, actor, status == JobStatus.Cancelled ? AuditEvents.JobCancelled : AuditEvents.JobFailed, job.OwnerOrganisationId, "job", job.Id.ToString(),
                new { caseId = job.CaseId, incidentId = job.IncidentId, reason = status == JobStatus.Cancelled ? "cancelled" : "failed" });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Writes progress every beat and turns a cancel request into a cancellation of the analysis.</summary>
    private async Task BeatAsync(Guid id, JobProgress progress, CancellationTokenSource cancel, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var (done, total, records, detections) = progress.Read();
                var phase = progress.Phase;
                var now = clock.GetUtcNow();
                await using var db = database.Open(TenantScope.NodeWide("analysis worker"));
                await db.AnalysisJobs.Where(j => j.Id == id && j.Status == JobStatus.Running)
                    .ExecuteUpdateAsync(u => u.SetProperty(j => j.HeartbeatAt, now).SetProperty(j => j.Phase, phase)
                        .SetProperty(j => j.ProgressDone, done).SetProperty(j => j.ProgressTotal, total)
                        .SetProperty(j => j.Records, records).SetProperty(j => j.Detections, detections), stop);
                if (await db.AnalysisJobs.AsNoTracking().AnyAsync(j => j.Id == id && j.CancelRequested, stop))
                {
                    await cancel.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The analysis ended.
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            log.LogWarning(ex, "Progress of analysis job {Job} could not be written; the job goes on.", id);
        }
    }

    /// <summary>"Seen" on each matched indicator, with how often and when; a sighting refused is logged, the others go on.</summary>
    private async Task SightAsync(AnalysisJob job, Actor actor, List<IndicatorSighting> seen)
    {
        var now = clock.GetUtcNow();
        foreach (var s in seen)
        {
            DateTimeOffset? first = s.FirstSeen is { } f && f <= now ? f : null;
            DateTimeOffset? last = s.LastSeen is { } l && l <= now && (first is null || l >= first) ? l : first;
            var recorded = await sightings.RecordAsync(actor, s.IndicatorId, new SightingInput(
                Kind: "seen", Count: Math.Min(s.Count, Sightings.MaxCount), FirstSeenAt: first, LastSeenAt: last,
                Source: $"Ribat hunt, analysis job {job.Id} of {EvidenceParent.Of(job.CaseId, job.IncidentId)}"), CancellationToken.None);
            if (recorded.Error is { } refused)
            {
                log.LogWarning("A sighting of indicator {Indicator} from analysis job {Job} was refused: {Reason}", s.IndicatorId, job.Id, refused.Message);
            }
        }
    }
}
