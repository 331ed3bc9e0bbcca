using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Subjects;

/// <summary>Replaces a subject's content and source (case owner only); its kind stays what it is.</summary>
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
        var source = await SubjectRules.CheckSourceAsync(session.Db, caseId, input.Source, v, cancellationToken);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (content!.Value is { } value && await SubjectRules.HolderAsync(session.Db, caseId, value, row.Id, cancellationToken) is { } held)
        {
            return Error.Conflict($"The case already has this {content.Kind.Spell()} as subject {held.Id}.");
        }

        SubjectRules.Apply(row, input, content, source!.Value, clock.GetUtcNow());
        audit.Add(session.Db, actor, AuditEvents.SubjectUpdated, row.OwnerOrganisationId, "case-subject", row.Id.ToString(), new { caseId, kind = row.Kind.Spell() });
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (row.ValueKey is not null)
        {
            return Error.Conflict($"The case already has this {content.Kind.Spell()} as a subject.");
        }

        return (await SubjectRules.ToDtosAsync(session.Db, [row], cancellationToken))[0];
    }
}
