using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cases.Subjects;

/// <summary>
/// A case's subjects and relationships, for whoever sees the case (its owner and partners, through the sharing
/// policy). Subjects are personal data: every read is audited.
/// </summary>
public sealed class ReadSubjects(SharingAccess sharing, AuditTrail audit)
{
    public async Task<Result<Page<SubjectDto>>> ListAsync(Actor actor, Guid caseId, string? kind, string? search, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(cursor, limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        SubjectKind? wanted = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!SubjectKinds.TryParse(kind, out var parsed))
            {
                return Error.Validation("kind", $"'{kind}' is not a kind of subject ({SubjectKinds.Choices}).");
            }

            wanted = parsed;
        }

        if (search is { Length: > SubjectRules.MaxName })
        {
            return Error.Validation("q", $"Search for at most {SubjectRules.MaxName} characters.");
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.Cases.AnyAsync(c => c.Id == caseId, cancellationToken))
        {
            return Error.NotFound("The case");
        }

        var (after, take) = page.Value;
        var rows = session.Db.CaseSubjects.AsNoTracking().Where(s => s.CaseId == caseId);
        if (wanted is { } k)
        {
            rows = rows.Where(s => s.Kind == k);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim().ToLowerInvariant();
            rows = rows.Where(s => (s.Name != null && s.Name.ToLower().Contains(text)) || (s.Value != null && s.Value.ToLower().Contains(text)));
        }

        if (after is { } last)
        {
            rows = rows.Where(s => s.Id.CompareTo(last) > 0);
        }

        var found = await rows.OrderBy(s => s.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = await SubjectRules.ToDtosAsync(session.Db, found.Take(take).ToList(), cancellationToken);
        await audit.WriteLookupAsync(actor, AuditEvents.SubjectsRead, actor.OrganisationId, "case", caseId.ToString(), new { subjects = items.Count }, cancellationToken);
        return new Page<SubjectDto>(items, found.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }

    public async Task<Result<SubjectDto>> GetAsync(Actor actor, Guid caseId, Guid subjectId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.CaseSubjects.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subjectId && s.CaseId == caseId, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The subject");
        }

        await audit.WriteLookupAsync(actor, AuditEvents.SubjectsRead, actor.OrganisationId, "case-subject", subjectId.ToString(), new { caseId }, cancellationToken);
        return (await SubjectRules.ToDtosAsync(session.Db, [row], cancellationToken))[0];
    }

    /// <summary>The case's relationships, oldest first; with <paramref name="subjectId"/>, those the subject is part of.</summary>
    public async Task<Result<Page<RelationshipDto>>> RelationshipsAsync(Actor actor, Guid caseId, Guid? subjectId, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(cursor, limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.Cases.AnyAsync(c => c.Id == caseId, cancellationToken))
        {
            return Error.NotFound("The case");
        }

        var (after, take) = page.Value;
        var rows = session.Db.CaseRelationships.AsNoTracking().Where(r => r.CaseId == caseId);
        if (subjectId is { } subject)
        {
            rows = rows.Where(r => r.FromId == subject || r.ToId == subject);
        }

        if (after is { } last)
        {
            rows = rows.Where(r => r.Id.CompareTo(last) > 0);
        }

        var found = await rows.OrderBy(r => r.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = await SubjectRules.ToDtosAsync(session.Db, found.Take(take).ToList(), cancellationToken);
        await audit.WriteLookupAsync(actor, AuditEvents.SubjectsRead, actor.OrganisationId, "case", caseId.ToString(), new { relationships = items.Count }, cancellationToken);
        return new Page<RelationshipDto>(items, found.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }
}
