using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Subjects;

/// <summary>Removes one relationship (case owner only); the subjects stay.</summary>
public sealed class UnlinkSubjects(SharingAccess sharing, AuditTrail audit)
{
    public async Task<Result<bool>> HandleAsync(Actor actor, Guid caseId, Guid relationshipId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var writable = await SubjectRules.WritableCaseAsync(session, actor, caseId, cancellationToken);
        if (writable.Error is { } refused)
        {
            return refused;
        }

        var row = await session.Db.CaseRelationships.FirstOrDefaultAsync(r => r.Id == relationshipId && r.CaseId == caseId, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The relationship");
        }

        session.Db.CaseRelationships.Remove(row);
        audit.Add(session.Db, actor, AuditEvents.SubjectsUnlinked, row.OwnerOrganisationId, "case-relationship", row.Id.ToString(),
            new { caseId, kind = row.Kind, fromId = row.FromId, toId = row.ToId });
        await session.Db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
