using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>Replaces a draft's form. Once sent, a request is what the addressee received and is never edited.</summary>
public sealed class UpdateDraft(SharingAccess sharing, AuditTrail audit, ReadRequests read, TimeProvider clock)
{
    public async Task<Result<RequestDto>> HandleAsync(Actor actor, Guid id, RequestInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.CooperationRequests.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The request");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the requesting organisation changes its request.");
        }

        if (CooperationRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (row.Status != RequestStatus.Draft)
        {
            return Error.Conflict($"The request is {row.Status.Spell()}; only a draft is changed.");
        }

        var form = await CooperationRules.CheckAsync(session, input, row.OwnerOrganisationId, cancellationToken);
        if (form.Error is { } invalid)
        {
            return invalid;
        }

        CooperationRules.Apply(row, form.Value!, clock.GetUtcNow());
        CooperationRules.Audit(audit, session.Db, actor, AuditEvents.RequestUpdated, row, new { type = row.Type.Spell() });
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("The request changed meanwhile; read it again.");
        }

        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}
