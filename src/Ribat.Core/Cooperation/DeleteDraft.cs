using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Evidence;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>Deletes a draft written by mistake. A sent request is part of both parties' records: it is withdrawn instead.</summary>
public sealed class DeleteDraft(SharingAccess sharing, AuditTrail audit, ContentStore store, RibatDatabase database)
{
    public async Task<Result<bool>> HandleAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.CooperationRequests.Include(r => r.Events).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The request");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the requesting organisation deletes its draft.");
        }

        if (CooperationRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (row.Status != RequestStatus.Draft)
        {
            return Error.Conflict($"The request is {row.Status.Spell()}; a sent request is withdrawn, not deleted.");
        }

        // A draft was never sent, so nothing follows it and nobody else holds its files.
        var attachments = await session.Db.RequestAttachments.Where(a => a.RequestId == id).ToListAsync(cancellationToken);
        session.Db.RequestAttachments.RemoveRange(attachments);
        session.Db.CooperationRequests.Remove(row);
        CooperationRules.Audit(audit, session.Db, actor, AuditEvents.RequestDeleted, row, new { type = row.Type.Spell(), attachments = attachments.Count });
        await session.Db.SaveChangesAsync(cancellationToken);
        await UnnamedContent.DiscardAsync(database, store, attachments.Select(a => a.Sha256));

        return true;
    }
}
