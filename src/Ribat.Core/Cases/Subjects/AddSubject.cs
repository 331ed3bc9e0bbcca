using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Subjects;

/// <summary>Adds a subject to a case (its owner only); a value the case already holds is a 409 naming that subject.</summary>
public sealed class AddSubject(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<SubjectDto>> HandleAsync(Actor actor, Guid caseId, SubjectInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var writable = await SubjectRules.WritableCaseAsync(session, actor, caseId, cancellationToken);
        if (writable.Error is { } refused)
        {
            return refused;
        }

        var v = new Validation();
        var content = SubjectRules.Validate(input, v);
        var source = await SubjectRules.CheckSourceAsync(session.Db, caseId, input.Source, v, cancellationToken);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (content!.Value is { } value && await SubjectRules.HolderAsync(session.Db, caseId, value, null, cancellationToken) is { } held)
        {
            return Error.Conflict($"The case already has this {content.Kind.Spell()} as subject {held.Id}.");
        }

        var row = await InsertAsync(session, actor, writable.Value!, input, content, source!.Value, AuditEvents.SubjectAdded, clock.GetUtcNow(), cancellationToken);
        return row is null
            ? Error.Conflict($"The case already has this {content.Kind.Spell()} as a subject.")
            : SubjectRules.ToDto(row, 0);
    }

    /// <summary>Writes the row and its audit entry together; null when another request added the same value first.</summary>
    internal async Task<CaseSubject?> InsertAsync(ContentSession session, Actor actor, Case owner, SubjectInput input, SubjectRules.Checked content,
        (SourceKind, Guid?, string?) source, AuditEvent auditAs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new CaseSubject { Id = Guid.CreateVersion7(), CaseId = owner.Id, OwnerOrganisationId = owner.OwnerOrganisationId, CreatedBy = actor.UserId!.Value, CreatedAt = now };
        SubjectRules.Apply(row, input, content, source, now);
        session.Db.CaseSubjects.Add(row);
        audit.Add(session.Db, actor, auditAs, owner.OwnerOrganisationId, "case-subject", row.Id.ToString(),
            new { caseId = owner.Id, kind = row.Kind.Spell(), valueType = row.ValueType, source = row.SourceKind.Spell(), sourceId = row.SourceId });
        try
        {
            await session.Db.SaveChangesAsync(cancellationToken);
            return row;
        }
        catch (DbUpdateException) when (row.ValueKey is not null)
        {
            // The unique (case, value) index refused a concurrent duplicate.
            return null;
        }
    }
}
