using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Findings;

/// <summary>Findings of an evidence item or of a whole case or incident, for whoever sees them (the item's audience).</summary>
public sealed class ReadFindings(SharingAccess sharing)
{
    public async Task<Result<IReadOnlyList<FindingDto>>> ForEvidenceAsync(Actor actor, Guid evidenceId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.EvidenceItems.AnyAsync(e => e.Id == evidenceId, cancellationToken))
        {
            return Error.NotFound("The evidence item");
        }

        return await ListAsync(session, session.Db.Findings.Where(f => f.EvidenceId == evidenceId), cancellationToken);
    }

    public async Task<Result<IReadOnlyList<FindingDto>>> ForCaseAsync(Actor actor, Guid caseId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.Cases.AnyAsync(c => c.Id == caseId, cancellationToken))
        {
            return Error.NotFound("The case");
        }

        return await ListAsync(session, session.Db.Findings.Where(f => f.CaseId == caseId), cancellationToken);
    }

    /// <summary>The findings of an incident's evidence, for whoever sees them.</summary>
    public async Task<Result<IReadOnlyList<FindingDto>>> ForIncidentAsync(Actor actor, Guid incidentId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (!await session.Db.Incidents.AnyAsync(i => i.Id == incidentId, cancellationToken))
        {
            return Error.NotFound("The incident");
        }

        return await ListAsync(session, session.Db.Findings.Where(f => f.IncidentId == incidentId), cancellationToken);
    }

    /// <summary>A traffic finding's chart (PNG), for whoever sees the finding.</summary>
    public async Task<Result<byte[]>> ChartAsync(Actor actor, Guid findingId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.Findings.AsNoTracking().FirstOrDefaultAsync(f => f.Id == findingId, cancellationToken);
        if (row is null || !session.Decide(row, await session.GrantsAsync([row.Id], cancellationToken)).MaySee)
        {
            return Error.NotFound("The finding");
        }

        return row.ChartPng is { } png ? png : Error.NotFound("A chart of this finding");
    }

    /// <summary>The findings of <paramref name="query"/> the session's viewer may see, in the order they were made.</summary>
    internal static async Task<Result<IReadOnlyList<FindingDto>>> ListAsync(ContentSession session, IQueryable<Finding> query, CancellationToken cancellationToken)
    {
        var rows = await query.AsNoTracking().OrderBy(f => f.CreatedAt).ThenBy(f => f.EvidenceId).ThenBy(f => f.Position).ToListAsync(cancellationToken);
        var grants = (await session.GrantsAsync([.. rows.Select(r => r.Id)], cancellationToken)).ToLookup(g => g.ObjectId);
        return rows.Where(r => session.Decide(r, grants[r.Id]).MaySee).Select(ToDto).ToList();
    }

    private static FindingDto ToDto(Finding row)
    {
        using var report = JsonDocument.Parse(row.ReportJson);
        using var yara = row.YaraJson is null ? null : JsonDocument.Parse(row.YaraJson);
        return new FindingDto(row.Id, row.CaseId, row.EvidenceId, FindingKinds.Spell(row.Kind), row.Position, row.Title, row.Verdict,
            row.IndicatorCount, row.IndicatorReportId, row.AttachmentEvidenceIds, row.CreatedAt, report.RootElement.Clone(), yara?.RootElement.Clone())
        {
            EventAt = row.EventAt,
            JobId = row.JobId,
            HasChart = row.ChartPng is not null,
            IncidentId = row.IncidentId,
        };
    }
}
