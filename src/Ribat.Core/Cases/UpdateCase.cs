using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases;

/// <summary>Replaces a case's content, people and terms (owner only); a closed case is reopened before it changes.</summary>
public sealed class UpdateCase(SharingAccess sharing, AuditTrail audit, ReadCases read, TimeProvider clock)
{
    public async Task<Result<CaseDto>> HandleAsync(Actor actor, Guid id, CaseInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Cases.Include(c => c.Team).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The case");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that owns a case changes it.");
        }

        if (CaseRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (row.Status == CaseStatus.Closed)
        {
            return Error.Conflict("The case is closed; reopen it before changing it.");
        }

        var grants = await session.Db.ShareGrants.Where(g => g.ObjectId == id).ToListAsync(cancellationToken);
        var current = SharedColumns.ToTerms(row, grants, session.LocalNode);
        var v = await CaseRules.ValidateAsync(session.Db, input, row.OwnerOrganisationId, cancellationToken);
        var terms = CaseRules.ResolveTerms(input, current.Owner, current, v);
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

        if (await SharingGroupCheck.RequireUsableAsync(session.Db, terms.Value!, row.OwnerOrganisationId, cancellationToken) is { } badGroup)
        {
            return badGroup;
        }

        var now = clock.GetUtcNow();
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        if (input.Team is not null)
        {
            session.Db.RemoveRange(row.Team);
        }

        CaseRules.Apply(row, input, now);
        SharedColumns.Apply(row, terms.Value!, session.LocalNode);
        session.Db.ShareGrants.RemoveRange(grants);
        session.Db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, terms.Value!, session.LocalNode, now));
        await CaseRules.AlignEvidenceAsync(session, row, terms.Value!, now, cancellationToken);
        await Joint.JointPublication.CaseAsync(session.Db, row, terms.Value!, current, actor.UserId, session.LocalNode, clock, cancellationToken);
        audit.Add(session.Db, actor, AuditEvents.CaseUpdated, row.OwnerOrganisationId, "case", row.Id.ToString(), new { tlp = row.Tlp.Spell(), team = row.Team.Count });
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}
