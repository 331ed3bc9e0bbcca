using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Subjects;

/// <summary>
/// Replaces a subject's content and source (case owner only); its kind stays what it is. An edit names the version it
/// was made from (<see cref="SubjectInput.BaseUpdatedAt"/>, the <c>updatedAt</c> it read): when the subject changed
/// since, the edit is refused with 409 rather than silently undoing the other change.
/// </summary>
public sealed class UpdateSubject(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<SubjectDto>> HandleAsync(Actor actor, Guid caseId, Guid subjectId, SubjectInput input, CancellationToken cancellationToken = default)
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

        input = input with { Kind = input.Kind ?? row.Kind.Spell() };
        var v = new Validation();
        var content = SubjectRules.Validate(input, v);
        v.Require(content is null || content.Kind == row.Kind, "kind", $"A subject keeps its kind ({row.Kind.Spell()}); add a new subject of the other kind instead.");
        v.Require(input.BaseUpdatedAt is not null, "baseUpdatedAt", "An edit names the version it was made from: the subject's updatedAt as read (baseUpdatedAt).");
        var source = await SubjectRules.CheckSourceAsync(session.Db, caseId, input.Source, v, cancellationToken);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        // Microseconds: what PostgreSQL keeps of a time, so a value read back compares equal to the one written.
        var read = Microseconds(input.BaseUpdatedAt!.Value);
        if (Microseconds(row.UpdatedAt) != read)
        {
            return Stale(row);
        }

        if (content!.Value is { } value && await SubjectRules.HolderAsync(session.Db, caseId, value, row.Id, cancellationToken) is { } held)
        {
            return Error.Conflict($"The case already has this {content.Kind.Spell()} as subject {held.Id}.");
        }

        var now = clock.GetUtcNow();
        var version = row.UpdatedAt;
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);

        // Claim the version in the database: of two edits made from the same version, only the first one changes the row.
        var claimed = await session.Db.CaseSubjects.Where(s => s.Id == row.Id && s.UpdatedAt == version)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.UpdatedAt, now), cancellationToken);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            var fresh = await session.Db.CaseSubjects.AsNoTracking().FirstAsync(s => s.Id == row.Id, cancellationToken);
            return Stale(fresh);
        }

        SubjectRules.Apply(row, input, content, source!.Value, now);
        audit.Add(session.Db, actor, AuditEvents.SubjectUpdated, row.OwnerOrganisationId, "case-subject", row.Id.ToString(), new { caseId, kind = row.Kind.Spell() });
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException) when (row.ValueKey is not null)
        {
            return Error.Conflict($"The case already has this {content.Kind.Spell()} as a subject.");
        }

        return (await SubjectRules.ToDtosAsync(session.Db, [row], cancellationToken))[0];
    }

    private static long Microseconds(DateTimeOffset time) => time.UtcTicks / 10;

    private static Error Stale(CaseSubject row) =>
        Error.Conflict($"The subject was changed at {row.UpdatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff} UTC, after the version this edit was made from; read it again and make the edit on the newer version.");
}
