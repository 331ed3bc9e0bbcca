using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>Writes a new request as a draft of the actor's organisation; nobody else sees it until it is sent.</summary>
public sealed class DraftRequest(SharingAccess sharing, AuditTrail audit, ReadRequests read, TimeProvider clock)
{
    public async Task<Result<RequestDto>> HandleAsync(Actor actor, RequestInput input, CancellationToken cancellationToken = default)
    {
        if (CooperationRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } owner || actor.UserId is not { } userId)
        {
            return Error.Forbidden("Requests are sent by an organisation through one of its users; this actor is neither.");
        }

        var form = await CooperationRules.CheckAsync(session, input, owner.Id, cancellationToken);
        if (form.Error is { } invalid)
        {
            return invalid;
        }

        var now = clock.GetUtcNow();
        var row = new CooperationRequest { Id = Guid.CreateVersion7(), Subject = string.Empty, RequestedCountry = Countries.Unspecified, Status = RequestStatus.Draft, CreatedBy = userId, CreatedAt = now };
        CooperationRules.Apply(row, form.Value!, now);
        var terms = CooperationRules.Terms(owner, null);
        SharedColumns.Apply(row, terms, session.LocalNode);
        row.Events.Add(CooperationRules.Event(row, actor, owner.Id, RequestEventKind.Drafted, now, to: RequestStatus.Draft));
        session.Db.CooperationRequests.Add(row);
        CooperationRules.Audit(audit, session.Db, actor, AuditEvents.RequestDrafted, row, new { type = row.Type.Spell() });
        await session.Db.SaveChangesAsync(cancellationToken);
        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}
