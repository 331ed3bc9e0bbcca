using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases;

/// <summary>Opens a case owned by the actor's organisation; the actor leads it unless another lead is named.</summary>
public sealed class OpenCase(SharingAccess sharing, AuditTrail audit, ReadCases read, TimeProvider clock)
{
    public async Task<Result<CaseDto>> HandleAsync(Actor actor, CaseInput input, CancellationToken cancellationToken = default)
    {
        if (CaseRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } owner || actor.UserId is not { } userId)
        {
            return Error.Forbidden("Cases belong to an organisation and are led by one of its users; this actor is neither.");
        }

        input = input with { LeadInvestigatorId = input.LeadInvestigatorId ?? userId };
        var v = await CaseRules.ValidateAsync(session.Db, input, owner.Id, cancellationToken);
        var terms = CaseRules.ResolveTerms(input, owner, null, v);
        if (terms.Error is null)
        {
            terms = await CaseRules.PlaceRecipientsAsync(session.Db, input, terms.Value!, session.LocalNode, v, cancellationToken);
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (terms.Error is { } badTerms)
        {
            return badTerms;
        }

        if (await SharingGroupCheck.RequireUsableAsync(session.Db, terms.Value!, owner.Id, cancellationToken) is { } badGroup)
        {
            return badGroup;
        }

        var now = clock.GetUtcNow();
        var row = new Case { Id = Guid.CreateVersion7(), Title = string.Empty, Status = CaseStatus.Open, StatusChangedAt = now, CreatedBy = userId, CreatedAt = now };
        CaseRules.Apply(row, input, now);
        SharedColumns.Apply(row, terms.Value!, session.LocalNode);
        session.Db.Cases.Add(row);
        session.Db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, terms.Value!, session.LocalNode, now));
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        await Joint.JointPublication.CaseAsync(session.Db, row, terms.Value!, null, userId, session.LocalNode, clock, cancellationToken);
        audit.Add(session.Db, actor, AuditEvents.CaseOpened, owner.Id, "case", row.Id.ToString(), new { tlp = row.Tlp.Spell(), offences = row.Offences.Count });
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}
