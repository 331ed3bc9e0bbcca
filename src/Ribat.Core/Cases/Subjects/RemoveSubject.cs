using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Subjects;

/// <summary>Removes a subject and every relationship it is part of (case owner only), in one transaction with the audit row.</summary>
public sealed class RemoveSubject(SharingAccess sharing, AuditTrail audit)
{
    public async Task<Result<bool>> HandleAsync(Actor actor, Guid caseId, Guid subjectId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var writable = await SubjectRules.WritableCaseAsync(session, actor, caseId, cancellationToken);
        if (writable.Error is { } refused)
        {
            return refused;
        }

        var row = await session.Db.CaseSubjects.FirstOrDefaultAsync(s => s.Id == subjectId && s.CaseId == caseId, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The subject");
        }

        var links = await session.Db.CaseRelationships.Where(r => r.CaseId == caseId && (r.FromId == subjectId || r.ToId == subjectId)).ToListAsync(cancellationToken);
        session.Db.CaseRelationships.RemoveRange(links);
        session.Db.CaseSubjects.Remove(row);
        audit.Add(session.Db, actor, AuditEvents.SubjectRemoved, row.OwnerOrganisationId, "case-subject", row.Id.ToString(),
            new { caseId, kind = row.Kind.Spell(), relationships = links.Count });
        await session.Db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
