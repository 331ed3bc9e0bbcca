using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Findings;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.CaseWork;

public enum CourtReportFormat
{
    Pdf,
    Html,
}

/// <summary>One evidence item of a court report with its whole chain of custody.</summary>
public sealed record CourtReportItem(EvidenceDto Item, IReadOnlyList<CustodyEntryDto> Custody);

/// <summary>Everything a court report shows, read once for the actor through the sharing policy.</summary>
public sealed record CourtReportContent(
    CaseDto Case,
    IReadOnlyList<CourtReportItem> Evidence,
    IReadOnlyList<TimelineItemDto> Timeline,
    bool TimelineTruncated,
    IReadOnlyList<FindingDto> Findings,
    string PrintedBy,
    DateTimeOffset PrintedAt);

/// <summary>
/// The court report of a case, as PDF or HTML: the case summary, the evidence table with every hash, each item's
/// custody history, the timeline, the findings and charts of evidence and activity over time. It shows what the
/// reader may see and nothing else; producing it reads all of that at once, so it is audited as a read.
/// </summary>
public sealed class PrintCourtReport(SharingAccess sharing, ReadCases cases, ReadEvidence evidence, ReadFindings findings, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Timeline lines a report holds at most; a longer timeline says it was cut and where to read the rest.</summary>
    public const int MaxTimeline = 5000;

    /// <param name="text">The report's labels in the reader's language, by key of the UI's string tables.</param>
    public async Task<Result<byte[]>> HandleAsync(Actor actor, Guid caseId, CourtReportFormat format, Func<string, string> text, CancellationToken cancellationToken = default)
    {
        var content = await ReadAsync(actor, caseId, cancellationToken);
        if (content.Error is { } error)
        {
            return error;
        }

        var report = content.Value!;
        var charts = CourtReportCharts.Draw(report, text);
        var bytes = format == CourtReportFormat.Pdf ? CourtReportDocument.Render(report, charts, text) : CourtReportHtml.Render(report, charts, text);
        await audit.WriteAsync(actor, AuditEvents.CourtReportPrinted, report.Case.OwnerOrganisationId, "case", caseId.ToString(),
            new { format = format.ToString().ToLowerInvariant(), items = report.Evidence.Count, bytes = bytes.Length }, cancellationToken);
        return bytes;
    }

    internal async Task<Result<CourtReportContent>> ReadAsync(Actor actor, Guid caseId, CancellationToken cancellationToken)
    {
        var found = await cases.GetAsync(actor, caseId, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing;
        }

        var items = new List<CourtReportItem>();
        string? cursor = null;
        do
        {
            var page = await evidence.ListAsync(actor, caseId, cursor, Cursor.MaxLimit, cancellationToken);
            if (page.Error is { } unreadable)
            {
                return unreadable;
            }

            foreach (var item in page.Value!.Items)
            {
                var custody = await evidence.CustodyAsync(actor, item.Id, cancellationToken);
                items.Add(new CourtReportItem(item, custody.Value ?? []));
            }

            cursor = page.Value.NextCursor;
        }
        while (cursor is not null);

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (await CaseWorkRules.FindAsync(session, caseId, cancellationToken) is null)
        {
            return Error.NotFound("The case");
        }

        var (timeline, truncated) = await ReadCaseTimeline.AllAsync(session, caseId, MaxTimeline, cancellationToken);
        var found2 = await findings.ForCaseAsync(actor, caseId, cancellationToken);
        var printedBy = actor.UserId is { } user
            ? await session.Db.Users.AsNoTracking().Where(u => u.Id == user).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? actor.Name
            : actor.Name;
        return new CourtReportContent(found.Value!, items, timeline, truncated, found2.Value ?? [], printedBy, clock.GetUtcNow());
    }
}
