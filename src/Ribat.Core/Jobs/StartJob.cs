using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Hunting;

namespace Ribat.Core.Jobs;

/// <summary>
/// Queues a hunt or a capture analysis over some of a case's evidence items. Only the organisation that owns the case
/// starts one, with a role that may change the case, while the case is not closed. The job takes the case's audience;
/// the node's worker runs it (<see cref="JobWorker"/>).
/// </summary>
public sealed class StartJob(SharingAccess sharing, AuditTrail audit, ReadJobs read, JobSignal signal, TimeProvider clock)
{
    public async Task<Result<JobDto>> HandleAsync(Actor actor, Guid caseId, JobInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ids = input.EvidenceIds ?? [];
        var v = new Validation()
            .Require(JobRules.TryParseKind(input.Kind, out var kind), "kind", $"'{input.Kind}' is not an analysis: hunt (logs) or capture (pcap, pcapng).")
            .Require(ids.Count > 0, "evidenceIds", "Name the evidence items to analyse.")
            .Require(ids.Count <= JobRules.MaxItems, "evidenceIds", $"A job reads at most {JobRules.MaxItems} items.")
            .Require(ids.Distinct().Count() == ids.Count, "evidenceIds", "An item is named twice.")
            .Require(input.MinLevel is null || HuntLevels.IsKnown(input.MinLevel), "minLevel", $"The level is one of {string.Join(", ", HuntLevels.All)}.");
        if (v.IsValid && kind == JobKind.Capture && input.MinLevel is not null)
        {
            v.Add("minLevel", "A minimum level belongs to a hunt, not to a capture analysis.");
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The case");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id || actor.UserId is not { } userId)
        {
            return Error.Forbidden("Only the organisation that owns the case runs analyses on its evidence.");
        }

        if (!CaseRoles.MayWrite(actor))
        {
            return Error.Forbidden("Running analyses needs the investigator, analyst or org-admin role.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        if (row.Status == CaseStatus.Closed)
        {
            return Error.Conflict("The case is closed; reopen it before analysing its evidence.");
        }

        var items = await session.Db.EvidenceItems.AsNoTracking().Where(e => e.CaseId == caseId && ids.Contains(e.Id))
            .Select(e => new { e.Id, e.Size }).ToListAsync(cancellationToken);
        var missing = ids.Where(id => items.All(i => i.Id != id)).ToList();
        if (missing.Count > 0)
        {
            return Error.Validation("evidenceIds", $"Not evidence of this case: {string.Join(", ", missing)}.");
        }

        var organisation = session.Organisation!.Value.Id;
        var waiting = await session.Db.AnalysisJobs.CountAsync(j => j.OwnerOrganisationId == organisation && j.Status == JobStatus.Queued, cancellationToken);
        if (waiting >= JobRules.MaxQueued)
        {
            return Error.Conflict($"{waiting} analyses of your organisation are waiting to run; start more once some have run.");
        }

        var now = clock.GetUtcNow();
        var job = new AnalysisJob
        {
            Id = Guid.CreateVersion7(),
            CaseId = caseId,
            Kind = kind,
            Status = JobStatus.Queued,
            EvidenceIds = [.. ids],
            MinLevel = input.MinLevel?.Trim().ToLowerInvariant(),
            StartedBy = userId,
            StartedByName = actor.Name.Length <= 256 ? actor.Name : actor.Name[..256],
            StartedByRoles = string.Join(',', actor.Roles.Order(StringComparer.Ordinal)),
            QueuedAt = now,
            ProgressUnit = kind == JobKind.Capture ? "bytes" : "files",
            ProgressTotal = kind == JobKind.Capture ? items.Sum(i => i.Size) : items.Count,
        };
        var terms = SharedColumns.ToTerms(row, await session.GrantsAsync([row.Id], cancellationToken), session.LocalNode);
        SharedColumns.Apply(job, terms, session.LocalNode);
        session.Db.AnalysisJobs.Add(job);
        session.Db.ShareGrants.AddRange(SharedColumns.Grants(job.Id, terms, session.LocalNode, now));
        audit.Add(session.Db, actor, AuditEvents.JobStarted, organisation, "job", job.Id.ToString(),
            new { caseId, kind = JobRules.Spell(kind), items = ids.Count, minLevel = job.MinLevel });
        await session.Db.SaveChangesAsync(cancellationToken);
        signal.Wake();
        return await read.GetAsync(actor, job.Id, cancellationToken);
    }
}
