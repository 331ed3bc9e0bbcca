using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases;

/// <summary>
/// Deletes a case opened by mistake. A case holding evidence is never deleted: its custody logs must outlive it,
/// so such a case is closed instead.
/// </summary>
public sealed class DeleteCase(SharingAccess sharing, AuditTrail audit)
{
    public async Task<Result<bool>> HandleAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Cases.Include(c => c.Team).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The case");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that owns a case deletes it.");
        }

        if (CaseRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (await session.Db.EvidenceItems.IgnoreQueryFilters().AnyAsync(e => e.CaseId == id, cancellationToken))
        {
            return Error.Conflict("The case holds evidence, whose chain of custody must be kept; close the case instead.");
        }

        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await session.Db.ShareGrants.Where(g => g.ObjectId == id).ExecuteDeleteAsync(cancellationToken);
        session.Db.Cases.Remove(row);
        audit.Add(session.Db, actor, AuditEvents.CaseDeleted, row.OwnerOrganisationId, "case", row.Id.ToString());
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
