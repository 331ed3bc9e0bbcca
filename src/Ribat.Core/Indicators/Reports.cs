using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Indicators;

public sealed record ReportInput(
    string? Title,
    string? Description = null,
    string? ThreatActor = null,
    string? MalwareFamily = null,
    IReadOnlyList<string>? AttackTechniques = null,
    IReadOnlyList<string>? Tags = null,
    DateTimeOffset? FirstSeen = null,
    DateTimeOffset? LastSeen = null,
    SharingTermsInput? Sharing = null,
    string? SourceId = null);

/// <summary>Creating, changing, deleting and reading intelligence reports. Only the owner changes or deletes one.</summary>
public sealed partial class Reports(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    [GeneratedRegex(@"^T\d{4}(\.\d{3})?$")]
    private static partial Regex Technique();

    public async Task<Result<ReportDto>> CreateAsync(Actor actor, ReportInput input, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } owner)
        {
            return Error.Forbidden("Reports belong to an organisation; this actor has none.");
        }

        var terms = (input.Sharing ?? new SharingTermsInput()).Resolve(owner);
        var v = Validate(input);
        if (terms.Error?.Fields is { } termFields)
        {
            foreach (var (field, messages) in termFields)
            {
                foreach (var message in messages)
                {
                    v.Add(field, message);
                }
            }
        }

        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (await SharingGroupCheck.RequireUsableAsync(session.Db, terms.Value!, owner.Id, cancellationToken) is { } badGroup)
        {
            return badGroup;
        }

        terms = await Federation.Sync.PartnerRecipients.PlaceAsync(session.Db, terms.Value!, cancellationToken);

        var now = clock.GetUtcNow();
        var report = new IntelligenceReport { Id = Guid.CreateVersion7(), Title = string.Empty, CreatedBy = actor.UserId, CreatedAt = now };
        Apply(report, input, now);
        SharedColumns.Apply(report, terms.Value!, session.LocalNode);
        session.Db.Reports.Add(report);
        session.Db.ShareGrants.AddRange(SharedColumns.Grants(report.Id, terms.Value!, session.LocalNode, now));
        audit.Add(session.Db, actor, AuditEvents.ReportCreated, owner.Id, "report", report.Id.ToString(), new { tlp = report.Tlp.Spell() });
        await session.Db.SaveChangesAsync(cancellationToken);
        return await GetAsync(actor, report.Id, cancellationToken);
    }

    /// <summary>Replaces the report's content and terms; its indicators keep their own terms.</summary>
    public async Task<Result<ReportDto>> UpdateAsync(Actor actor, Guid id, ReportInput input, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);

        // The row is held before it is read on: two changes, or a change and the deletion, run one after the other.
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        var report = await session.Db.Reports.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null)
        {
            return Error.NotFound("The report");
        }

        if (report.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that owns a report changes it.");
        }

        if (!await session.Db.HoldRowAsync(report, cancellationToken))
        {
            return Error.NotFound("The report");
        }

        var grants = await session.Db.ShareGrants.Where(g => g.ObjectId == id).ToListAsync(cancellationToken);
        var current = SharedColumns.ToTerms(report, grants, session.LocalNode);
        var terms = (input.Sharing ?? new SharingTermsInput()).Resolve(current.Owner, current);
        var v = Validate(input);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        if (terms.Error is { } badTerms)
        {
            return badTerms;
        }

        if (await SharingGroupCheck.RequireUsableAsync(session.Db, terms.Value!, report.OwnerOrganisationId, cancellationToken) is { } badGroup)
        {
            return badGroup;
        }

        terms = await Federation.Sync.PartnerRecipients.PlaceAsync(session.Db, terms.Value!, cancellationToken);

        var now = clock.GetUtcNow();
        Apply(report, input, now);
        SharedColumns.Apply(report, terms.Value!, session.LocalNode);
        session.Db.ShareGrants.RemoveRange(grants);
        session.Db.ShareGrants.AddRange(SharedColumns.Grants(report.Id, terms.Value!, session.LocalNode, now));
        audit.Add(session.Db, actor, AuditEvents.ReportUpdated, report.OwnerOrganisationId, "report", report.Id.ToString(), new { tlp = report.Tlp.Spell() });
        await Federation.StixMirror.ReportAsync(session.Db, report.Id, session.LocalNode, clock, cancellationToken);
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(actor, report.Id, cancellationToken);
    }

    public async Task<Result<bool>> DeleteAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);

        // The row is held before it is read on: two changes, or a change and the deletion, run one after the other.
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        var report = await session.Db.Reports.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null)
        {
            return Error.NotFound("The report");
        }

        if (report.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that owns a report deletes it.");
        }

        if (!await session.Db.HoldRowAsync(report, cancellationToken))
        {
            return Error.NotFound("The report");
        }

        var indicators = session.Db.Indicators.IgnoreQueryFilters().Where(i => i.ReportId == id).Select(i => i.Id);
        var removed = await indicators.CountAsync(cancellationToken);

        // Sightings by any organisation go with the indicators they point at, and so do their grants.
        var sightings = session.Db.Sightings.IgnoreQueryFilters().Where(s => indicators.Contains(s.IndicatorId));
        await session.Db.ShareGrants.Where(g => g.ObjectId == id || indicators.Contains(g.ObjectId) || sightings.Select(s => s.Id).Contains(g.ObjectId))
            .ExecuteDeleteAsync(cancellationToken);
        await Federation.StixObjectStore.RemoveForAsync(
            session.Db,
            [id, .. await indicators.ToListAsync(cancellationToken), .. await sightings.Select(s => s.Id).ToListAsync(cancellationToken)],
            cancellationToken);
        await sightings.ExecuteDeleteAsync(cancellationToken);
        await session.Db.Indicators.IgnoreQueryFilters().Where(i => i.ReportId == id).ExecuteDeleteAsync(cancellationToken);
        session.Db.Reports.Remove(report);
        audit.Add(session.Db, actor, AuditEvents.ReportDeleted, report.OwnerOrganisationId, "report", report.Id.ToString(), new { indicators = removed });
        await session.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<Result<ReportDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var report = await session.Db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return report is null ? Error.NotFound("The report") : (await ToDtosAsync(session, [report], cancellationToken))[0];
    }

    public async Task<Result<Page<ReportDto>>> ListAsync(Actor actor, string? cursor, int? limit, string? search = null, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(cursor, limit);
        if (page.Error is { } invalid)
        {
            return invalid;
        }

        var (before, take) = page.Value;
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var rows = session.Db.Reports.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Case does not matter to a person searching; both databases lower-case ASCII alike (SQLite only ASCII).
            var text = search.Trim().ToLowerInvariant();
            rows = rows.Where(r => r.Title.ToLower().Contains(text)
                || (r.ThreatActor != null && r.ThreatActor.ToLower().Contains(text))
                || (r.MalwareFamily != null && r.MalwareFamily.ToLower().Contains(text)));
        }

        if (before is { } last)
        {
            rows = rows.Where(r => r.Id.CompareTo(last) < 0);
        }

        var found = await rows.OrderByDescending(r => r.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = await ToDtosAsync(session, found.Take(take).ToList(), cancellationToken);
        return new Page<ReportDto>(items, found.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }

    private static async Task<List<ReportDto>> ToDtosAsync(ContentSession session, List<IntelligenceReport> reports, CancellationToken cancellationToken)
    {
        var ids = reports.Select(r => r.Id).ToList();
        var counts = await session.Db.Indicators.AsNoTracking()
            .Where(i => i.ReportId != null && ids.Contains(i.ReportId.Value))
            .GroupBy(i => i.ReportId!.Value)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var grants = await session.GrantsAsync(ids, cancellationToken);
        var names = await OrganisationNames.OfAsync(session.Db, reports.Select(r => r.OwnerOrganisationId), cancellationToken);
        return reports.Select(r => ReportDto.From(r, counts.GetValueOrDefault(r.Id), session.Decide(r, grants), grants, names.GetValueOrDefault(r.OwnerOrganisationId))).ToList();
    }

    private static Error? Refuse(Actor actor) =>
        !IntelligenceRoles.MayWrite(actor)
            ? Error.Forbidden("Changing reports needs the analyst, investigator, liaison or org-admin role.")
            : actor.RequireWrite();

    private static Validation Validate(ReportInput input)
    {
        var v = new Validation()
            .Require(!string.IsNullOrWhiteSpace(input.Title), "title", "A report needs a title.")
            .Require(input.Title is null || input.Title.Trim().Length <= 300, "title", "The title is at most 300 characters.")
            .RequirePrintable(input.Title, "title")
            .Require(input.Description is null || input.Description.Length <= 100_000, "description", "The description is at most 100,000 characters.")
            .Require(input.ThreatActor is null || input.ThreatActor.Length <= 200, "threatActor", "The threat actor is at most 200 characters.")
            .RequirePrintable(input.ThreatActor, "threatActor")
            .Require(input.MalwareFamily is null || input.MalwareFamily.Length <= 200, "malwareFamily", "The malware family is at most 200 characters.")
            .RequirePrintable(input.MalwareFamily, "malwareFamily")
            .Require(input.FirstSeen is null || input.LastSeen is null || input.LastSeen >= input.FirstSeen, "lastSeen", "last-seen must not be before first-seen.")
            .Require(input.Tags is null || input.Tags.Count <= RecordIndicators.MaxTags, "tags", $"At most {RecordIndicators.MaxTags} tags.")
            .Require(input.Tags is null || input.Tags.All(t => !string.IsNullOrWhiteSpace(t) && t.Length <= RecordIndicators.MaxTagLength && !t.Any(char.IsControl)), "tags", $"A tag is 1 to {RecordIndicators.MaxTagLength} printable characters.")
            .Require(input.SourceId is null || input.SourceId.Length <= 64, "sourceId", "The source id is at most 64 characters.");
        foreach (var technique in input.AttackTechniques ?? [])
        {
            // A JSON array may hold null where a technique id belongs.
            v.Require(technique is not null && Technique().IsMatch(technique.Trim().ToUpperInvariant()), "attackTechniques", $"'{technique}' is not an ATT&CK technique id (T1566 or T1566.001).");
        }

        return v;
    }

    private static void Apply(IntelligenceReport report, ReportInput input, DateTimeOffset now)
    {
        report.Title = input.Title!.Trim();
        report.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        report.ThreatActor = string.IsNullOrWhiteSpace(input.ThreatActor) ? null : input.ThreatActor.Trim();
        report.MalwareFamily = string.IsNullOrWhiteSpace(input.MalwareFamily) ? null : input.MalwareFamily.Trim();
        report.AttackTechniques = (input.AttackTechniques ?? []).Select(t => t.Trim().ToUpperInvariant()).Distinct().Order().ToList();
        report.Tags = (input.Tags ?? []).Select(t => t.Trim()).Distinct().ToList();
        report.FirstSeen = input.FirstSeen;
        report.LastSeen = input.LastSeen;
        report.SourceId = string.IsNullOrWhiteSpace(input.SourceId) ? report.SourceId : input.SourceId.Trim();
        report.UpdatedAt = now;
    }
}
