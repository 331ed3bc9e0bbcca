using Microsoft.EntityFrameworkCore;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Incidents;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Evidence;

/// <summary>
/// What evidence items, their findings and analysis jobs belong to: a case (criminal investigation) or an incident
/// (a CERT's response, usually without a case) — exactly one of the two. The database holds the same rule as a check
/// constraint (<see cref="Constraint"/>), so no row can name both or neither.
/// </summary>
public readonly record struct EvidenceParent
{
    private EvidenceParent(Guid? caseId, Guid? incidentId)
    {
        CaseId = caseId;
        IncidentId = incidentId;
    }

    public Guid? CaseId { get; }

    public Guid? IncidentId { get; }

    /// <summary>The SQL both providers check on every row that belongs to a case or an incident.</summary>
    internal const string Constraint = "(\"CaseId\" IS NULL) <> (\"IncidentId\" IS NULL)";

    public static EvidenceParent OfCase(Guid id) => new(id, null);

    public static EvidenceParent OfIncident(Guid id) => new(null, id);

    /// <summary>The parent of a stored row; a row naming both or neither breaks the invariant the database enforces.</summary>
    public static EvidenceParent Of(Guid? caseId, Guid? incidentId) => (caseId, incidentId) switch
    {
        ({ } c, null) => OfCase(c),
        (null, { } i) => OfIncident(i),
        _ => throw new InvalidOperationException("A row belongs to exactly one case or one incident."),
    };

    public bool IsIncident => IncidentId is not null;

    public Guid Id => CaseId ?? IncidentId ?? throw new InvalidOperationException("An evidence parent names a case or an incident.");

    /// <summary>"case" or "incident", for messages and audit details.</summary>
    public string Noun => IsIncident ? "incident" : "case";

    public override string ToString() => $"{Noun} {Id}";
}

/// <summary>A case or incident as evidence work sees it: who owns it, its sharing terms, whether it is still worked.</summary>
internal sealed record ParentState(EvidenceParent Parent, Guid OwnerOrganisationId, SharingTerms Terms, string? ClosedAs)
{
    /// <summary>The conflict to answer when the case or incident is no longer worked; <paramref name="doing"/> says what was refused.</summary>
    public Error? RefuseClosed(string doing) =>
        ClosedAs is null ? null : Error.Conflict($"The {Parent.Noun} is {ClosedAs}; reopen it before {doing}.");
}

internal static class EvidenceParents
{
    /// <summary>
    /// Loads the case or incident if the session's viewer sees it (null otherwise: a 404 for the caller), with the terms
    /// its new items, findings and jobs take, and the conflict to answer when it is closed.
    /// </summary>
    public static async Task<ParentState?> LoadAsync(ContentSession session, EvidenceParent parent, CancellationToken cancellationToken)
    {
        ISharedObject row;
        string? closed;
        if (parent.CaseId is { } caseId)
        {
            var found = await session.Db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
            if (found is null)
            {
                return null;
            }

            row = found;
            closed = found.Status == CaseStatus.Closed ? "closed" : null;
        }
        else
        {
            var found = await session.Db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == parent.IncidentId, cancellationToken);
            if (found is null)
            {
                return null;
            }

            row = found;
            closed = IncidentStatusMachine.IsOpen(found.Status) ? null : found.Status.Spell();
        }

        var terms = SharedColumns.ToTerms(row, await session.GrantsAsync([row.Id], cancellationToken), session.LocalNode);
        return new ParentState(parent, row.OwnerOrganisationId, terms, closed);
    }

    /// <summary>Whether the case or incident exists for the session's viewer (the tenancy filter decides).</summary>
    public static Task<bool> VisibleAsync(ContentSession session, EvidenceParent parent, CancellationToken cancellationToken) =>
        parent.CaseId is { } caseId
            ? session.Db.Cases.AnyAsync(c => c.Id == caseId, cancellationToken)
            : session.Db.Incidents.AnyAsync(i => i.Id == parent.IncidentId, cancellationToken);

    public static Error NotFound(EvidenceParent parent) => Error.NotFound(parent.IsIncident ? "The incident" : "The case");

    /// <summary>
    /// Evidence is seen by exactly its case's or incident's audience: when the parent's <paramref name="terms"/> change,
    /// its items' TLP, PAP, distribution, recipients and permissions follow them, while each item's handling codes and
    /// evaluation stay its own. What was derived from the evidence follows too, so a narrowed audience loses it and a
    /// widened one gains it: each finding takes the terms of the item it came from, each analysis job the parent's.
    /// </summary>
    public static async Task AlignAsync(ContentSession session, EvidenceParent parent, SharingTerms terms, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var items = await session.Db.EvidenceItems.Items(parent).ToListAsync(cancellationToken);
        var findings = await (parent.CaseId is { } caseId
            ? session.Db.Findings.Where(f => f.CaseId == caseId)
            : session.Db.Findings.Where(f => f.IncidentId == parent.IncidentId)).ToListAsync(cancellationToken);
        var jobs = await (parent.CaseId is { } jobCase
            ? session.Db.AnalysisJobs.Where(j => j.CaseId == jobCase)
            : session.Db.AnalysisJobs.Where(j => j.IncidentId == parent.IncidentId)).ToListAsync(cancellationToken);
        if (items.Count + findings.Count + jobs.Count == 0)
        {
            return;
        }

        var ids = items.Select(i => i.Id).Concat(findings.Select(f => f.Id)).Concat(jobs.Select(j => j.Id)).ToList();
        foreach (var chunk in ids.Chunk(500))
        {
            await session.Db.ShareGrants.Where(g => chunk.Contains(g.ObjectId)).ExecuteDeleteAsync(cancellationToken);
        }

        var itemTerms = new Dictionary<Guid, SharingTerms>();
        foreach (var item in items)
        {
            var own = terms with { Handling = item.Handling, HandlingConditions = item.HandlingConditions, Evaluation = Evaluation.TryParse(item.Evaluation, out var e) ? e : null };
            itemTerms[item.Id] = own;
            Share(item, own);
        }

        foreach (var finding in findings)
        {
            // An item of the same parent always exists (the foreign key is restrictive); the parent's terms are the fallback.
            Share(finding, itemTerms.GetValueOrDefault(finding.EvidenceId, terms));
        }

        foreach (var job in jobs)
        {
            Share(job, terms);
        }

        void Share(ISharedObject row, SharingTerms rowTerms)
        {
            SharedColumns.Apply(row, rowTerms, session.LocalNode);
            session.Db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, rowTerms, session.LocalNode, now));
        }
    }

    /// <summary>The evidence items of the case or incident.</summary>
    public static IQueryable<EvidenceItem> Items(this IQueryable<EvidenceItem> items, EvidenceParent parent) =>
        parent.CaseId is { } caseId ? items.Where(e => e.CaseId == caseId) : items.Where(e => e.IncidentId == parent.IncidentId);
}
