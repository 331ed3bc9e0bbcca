using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Cases;
using Ribat.Core.Evidence;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Hunting;

namespace Ribat.Core.Jobs;

/// <summary>
/// Queues a hunt or a capture analysis over some of a case's or an incident's evidence items. Only the organisation that
/// owns the case or incident starts one, with a role that may change a case, while it is not closed (an incident: not
/// closed, rejected or merged). The job takes the audience of its case or incident;
/// the node's worker runs it (<see cref="JobWorker"/>).
/// </summary>
public sealed class StartJob(SharingAccess sharing, AuditTrail audit, ReadJobs read, JobSignal signal, TimeProvider clock)
{
    public Task<Result<JobDto>> HandleAsync(Actor actor, Guid caseId, JobInput input, CancellationToken cancellationToken = default) =>
        HandleAsync(actor, EvidenceParent.OfCase(caseId), input, cancellationToken);

    /// <summary>Queues a job over items of a case or of an incident.</summary>
    public async Task<Result<JobDto>> HandleAsync(Actor actor, EvidenceParent parent, JobInput input, CancellationToken cancellationToken = default)
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
        var row = await EvidenceParents.LoadAsync(session, parent, cancellationToken);
        if (row is null)
        {
            return EvidenceParents.NotFound(parent);
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id || actor.UserId is not { } userId)
        {
            return Error.Forbidden($"Only the organisation that owns the {parent.Noun} runs analyses on its evidence.");
        }

        if (!CaseRoles.MayWrite(actor))
        {
            return Error.Forbidden("Running analyses needs the investigator, analyst or org-admin role.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        if (row.RefuseClosed("analysing its evidence") is { } closed)
        {
            return closed;
        }

        var items = await session.Db.EvidenceItems.AsNoTracking().Items(parent).Where(e => ids.Contains(e.Id))
            .Select(e => new { e.Id, e.Size }).ToListAsync(cancellationToken);
        var missing = ids.Where(id => items.All(i => i.Id != id)).ToList();
        if (missing.Count > 0)
        {
            return Error.Validation("evidenceIds", $"Not evidence of this {parent.Noun}: {string.Join(", ", missing)}.");
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
            CaseId = parent.CaseId,
            IncidentId = parent.IncidentId,
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
        var terms = row.Terms;
        SharedColumns.Apply(job, terms, session.LocalNode);
        session.Db.AnalysisJobs.Add(job);
        session.Db.ShareGrants.AddRange(SharedColumns.Grants(job.Id, terms, session.LocalNode, now));
        audit.Add(session.Db, actor, AuditEvents.JobStarted, organisation, "job", job.Id.ToString(),
            new { caseId = parent.CaseId, incidentId = parent.IncidentId, kind = JobRules.Spell(kind), items = ids.Count, minLevel = job.MinLevel });
        await session.Db.SaveChangesAsync(cancellationToken);
        signal.Wake();
        return await read.GetAsync(actor, job.Id, cancellationToken);
    }
}
