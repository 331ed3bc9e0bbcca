using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases;

/// <summary>Moves a case along its life cycle (<see cref="CaseStatusMachine"/>); invalid moves are refused, never ignored.</summary>
public sealed class ChangeCaseStatus(SharingAccess sharing, AuditTrail audit, ReadCases read, TimeProvider clock)
{
    public async Task<Result<CaseDto>> HandleAsync(Actor actor, Guid id, CaseTransitionInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Cases.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The case");
        }

        if (row.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that owns a case changes its status.");
        }

        if (CaseRules.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (!CaseStatusMachine.TryParse(input.To, out var to))
        {
            return Error.Validation("to", $"'{input.To}' is not a case status (open, active, suspended, closed).");
        }

        var reason = input.Reason?.Trim();
        if (reason is { Length: > 2000 })
        {
            return Error.Validation("reason", "The reason is at most 2000 characters.");
        }

        var from = row.Status;
        var leadOrAdmin = actor.UserId == row.LeadInvestigatorId || actor.IsOrgAdmin;
        if (CaseStatusMachine.Check(from, to, leadOrAdmin, reason) is { } invalid)
        {
            return invalid;
        }

        var now = clock.GetUtcNow();
        row.Status = to;
        row.StatusReason = string.IsNullOrEmpty(reason) ? null : reason;
        row.StatusChangedAt = now;
        row.UpdatedAt = now;
        audit.Add(session.Db, actor, AuditEvents.CaseStatusChanged, row.OwnerOrganisationId, "case", row.Id.ToString(), new { from = from.Spell(), to = to.Spell() });
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        var grants = await session.Db.ShareGrants.AsNoTracking().Where(g => g.ObjectId == row.Id).ToListAsync(cancellationToken);
        var terms = SharedColumns.ToTerms(row, grants, session.LocalNode);
        await Joint.JointPublication.CaseAsync(session.Db, row, terms, terms, actor.UserId, session.LocalNode, clock, cancellationToken);
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("The case changed status meanwhile; read it again.");
        }

        return await read.GetAsync(actor, row.Id, cancellationToken);
    }
}
