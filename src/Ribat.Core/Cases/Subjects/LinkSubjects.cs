using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Subjects;

/// <summary>Records a typed, sourced relationship between two subjects of one case (case owner only).</summary>
public sealed class LinkSubjects(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    public async Task<Result<RelationshipDto>> HandleAsync(Actor actor, Guid caseId, RelationshipInput input, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var writable = await SubjectRules.WritableCaseAsync(session, actor, caseId, cancellationToken);
        if (writable.Error is { } refused)
        {
            return refused;
        }

        var v = new Validation();
        if (!RelationshipKinds.TryParse(input.Kind, out var kind))
        {
            v.Add("kind", string.IsNullOrWhiteSpace(input.Kind)
                ? $"A relationship needs a kind ({RelationshipKinds.Choices})."
                : $"'{input.Kind}' is not a kind of relationship ({RelationshipKinds.Choices}).");
        }

        var ends = new[] { input.FromId, input.ToId }.OfType<Guid>().ToList();
        var found = await session.Db.CaseSubjects.AsNoTracking().Where(s => s.CaseId == caseId && ends.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        v.Require(input.FromId is { } from && found.Contains(from), "fromId", input.FromId is null ? "Name the subject the relationship starts from." : $"The case has no subject {input.FromId}.")
            .Require(input.ToId is { } to && found.Contains(to), "toId", input.ToId is null ? "Name the subject the relationship goes to." : $"The case has no subject {input.ToId}.")
            .Require(input.FromId is null || input.FromId != input.ToId, "toId", "A subject is not linked to itself.")
            .Require(input.StartedAt is null || input.EndedAt is null || input.EndedAt >= input.StartedAt, "endedAt", "The relationship ends after it starts.")
            .Require(input.Notes is null || input.Notes.Length <= SubjectRules.MaxText, "notes", $"The notes are at most {SubjectRules.MaxText:N0} characters.")
            .Require(input.Notes is null || !input.Notes.Contains('\0'), "notes", "The notes must not contain NUL characters.");
        var source = await SubjectRules.CheckSourceAsync(session.Db, caseId, input.Source, v, cancellationToken);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var (a, b) = (input.FromId!.Value, input.ToId!.Value);
        var symmetric = RelationshipKinds.IsSymmetric(kind);
        if (await session.Db.CaseRelationships.AnyAsync(r => r.CaseId == caseId && r.Kind == kind
                && ((r.FromId == a && r.ToId == b) || (symmetric && r.FromId == b && r.ToId == a)), cancellationToken))
        {
            return Error.Conflict($"The two subjects are already linked as {kind}.");
        }

        var now = clock.GetUtcNow();
        var owner = writable.Value!;
        var row = new CaseRelationship
        {
            Id = Guid.CreateVersion7(),
            CaseId = caseId,
            OwnerOrganisationId = owner.OwnerOrganisationId,
            FromId = a,
            ToId = b,
            Kind = kind,
            StartedAt = input.StartedAt,
            EndedAt = input.EndedAt,
            Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim(),
            CreatedBy = actor.UserId!.Value,
            CreatedAt = now,
            UpdatedAt = now,
        };
        (row.SourceKind, row.SourceId, row.SourceText) = source!.Value;
        session.Db.CaseRelationships.Add(row);
        audit.Add(session.Db, actor, AuditEvents.SubjectsLinked, owner.OwnerOrganisationId, "case-relationship", row.Id.ToString(),
            new { caseId, kind, fromId = a, toId = b, source = row.SourceKind.Spell() });
        await session.Db.SaveChangesAsync(cancellationToken);
        return (await SubjectRules.ToDtosAsync(session.Db, [row], cancellationToken))[0];
    }
}
