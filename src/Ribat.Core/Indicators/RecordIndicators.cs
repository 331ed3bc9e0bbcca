using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Indicators;

/// <summary>One indicator as a person or an import spells it; every field is checked before anything is written.</summary>
public sealed record IndicatorInput(
    string? Type,
    string? Value,
    string? Comment = null,
    IReadOnlyList<string>? Tags = null,
    int? Confidence = null,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidUntil = null,
    DateTimeOffset? FirstSeen = null,
    DateTimeOffset? LastSeen = null,
    bool? ForDetection = null,
    bool SuppressWarning = false,
    string? Tlp = null,
    string? SourceId = null,
    int? Line = null);

public sealed record RecordIndicatorsRequest(
    IReadOnlyList<IndicatorInput>? Indicators,
    SharingTermsInput? Sharing = null,
    Guid? ReportId = null,
    bool AllOrNothing = false);

/// <summary>A row that was not recorded, and why. <see cref="Line"/> is the input's line when it came from a file, else the row's 1-based position.</summary>
public sealed record RowIssue(int Line, string? Column, string Reason);

public sealed record WarningHit(int Line, string Type, string Value, string List, bool Suppressed);

public sealed record RecordIndicatorsResult(int Recorded, int Duplicates, IReadOnlyList<Guid> Ids, IReadOnlyList<RowIssue> Issues, IReadOnlyList<WarningHit> Warnings)
{
    /// <summary>The line (as in <see cref="RowIssue.Line"/>) of each recorded row, in the order of <see cref="Ids"/>, so a caller can say per row what happened.</summary>
    public IReadOnlyList<int> RecordedLines { get; init; } = [];

    /// <summary>The lines left out as duplicates, of an earlier row in the batch or of an indicator already stored.</summary>
    public IReadOnlyList<int> DuplicateLines { get; init; } = [];
}

/// <summary>
/// Records a batch of indicators for the actor's organisation: each row validated and canonicalised, checked
/// against the warning lists, de-duplicated (within the batch and against the same owner's indicators in the
/// same report), then written in one transaction with one audit entry. Bad rows are reported by line and
/// reason; the good ones are kept unless the caller asked for all or nothing. A request that records nothing
/// because of bad rows writes nothing at all.
/// </summary>
public sealed class RecordIndicators(SharingAccess sharing, WarningLists warningLists, AuditTrail audit, TimeProvider clock)
{
    public const int MaxBatch = 1_000_000;
    public const int MaxTags = 50;
    public const int MaxTagLength = 128;

    public async Task<Result<RecordIndicatorsResult>> HandleAsync(Actor actor, RecordIndicatorsRequest request, AuditEvent? auditAs = null, object? auditDetails = null, CancellationToken cancellationToken = default)
    {
        if (!IntelligenceRoles.MayWrite(actor))
        {
            return Error.Forbidden("Recording indicators needs the analyst, investigator, liaison or org-admin role.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        if (request.Indicators is not { Count: > 0 } inputs)
        {
            return Error.Validation("indicators", "There are no indicators to record.");
        }

        if (inputs.Count > MaxBatch)
        {
            return Error.Validation("indicators", $"At most {MaxBatch:N0} indicators are recorded at once; split the input.");
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        return await RecordInAsync(session, actor, request, null, auditAs, auditDetails, cancellationToken);
    }

    /// <summary>
    /// Records in an open session: inside the caller's transaction when one is active (an import that must write
    /// its report and rows together), else in its own. <paramref name="newReport"/>, when given, is a report the
    /// rows belong to that is written in the same transaction.
    /// </summary>
    internal async Task<Result<RecordIndicatorsResult>> RecordInAsync(
        ContentSession session,
        Actor actor,
        RecordIndicatorsRequest request,
        (IntelligenceReport Report, List<ShareGrant> Grants)? newReport,
        AuditEvent? auditAs,
        object? auditDetails,
        CancellationToken cancellationToken)
    {
        if (request.Indicators is not { Count: > 0 } inputs)
        {
            return Error.Validation("indicators", "There are no indicators to record.");
        }

        if (session.Organisation is not { } owner)
        {
            return Error.Forbidden("Indicators are recorded for an organisation; this actor has none.");
        }

        var db = session.Db;
        SharingTerms? reportTerms = null;
        if (newReport is { } created)
        {
            reportTerms = SharedColumns.ToTerms(created.Report, created.Grants, session.LocalNode);
            request = request with { ReportId = created.Report.Id };
        }
        else if (request.ReportId is { } reportId)
        {
            var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId, cancellationToken);
            if (report is null)
            {
                return Error.NotFound("The report");
            }

            if (report.OwnerOrganisationId != owner.Id)
            {
                return Error.Forbidden("Only the report's owner adds indicators to it.");
            }

            reportTerms = SharedColumns.ToTerms(report, await session.GrantsAsync([report.Id], cancellationToken), session.LocalNode);
        }

        var terms = (request.Sharing ?? new SharingTermsInput()).Resolve(owner, reportTerms);
        if (terms.Error is { } badTerms)
        {
            return badTerms;
        }

        if (await SharingGroupCheck.RequireUsableAsync(db, terms.Value!, owner.Id, cancellationToken) is { } badGroup)
        {
            return badGroup;
        }

        var now = clock.GetUtcNow();
        var index = await warningLists.IndexAsync(cancellationToken);
        var issues = new List<RowIssue>();
        var warnings = new List<WarningHit>();
        var rows = new List<Indicator>(inputs.Count);
        var lines = new List<int>(inputs.Count);
        var seen = new HashSet<(string, long)>();
        var duplicateLines = new List<int>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var line = input.Line ?? i + 1;
            var built = IndicatorRows.Build(input, terms.Value!, request.ReportId, actor.UserId, now, session.LocalNode);
            if (built.Error is { } problem)
            {
                issues.Add(new RowIssue(line, problem.Field, problem.Reason));
                continue;
            }

            var row = built.Row!;
            if (!seen.Add((row.Type, row.ValueKey)))
            {
                duplicateLines.Add(line);
                continue;
            }

            if (ObservableMatch.WarningListFor(index, row) is { } list)
            {
                row.WarningList = list;
                row.WarningSuppressed = input.SuppressWarning;
                warnings.Add(new WarningHit(line, row.Type, row.Value, list, input.SuppressWarning));
            }

            rows.Add(row);
            lines.Add(line);
        }

        if (issues.Count > 0 && request.AllOrNothing)
        {
            return new RecordIndicatorsResult(0, duplicateLines.Count, [], issues, warnings) { DuplicateLines = duplicateLines };
        }

        var existing = await ExistingAsync(db, owner.Id, request.ReportId, rows, cancellationToken);
        if (existing.Count > 0)
        {
            var kept = 0;
            for (var i = 0; i < rows.Count; i++)
            {
                if (existing.Contains((rows[i].Type, rows[i].ValueKey)))
                {
                    duplicateLines.Add(lines[i]);
                    continue;
                }

                rows[kept] = rows[i];
                lines[kept++] = lines[i];
            }

            rows.RemoveRange(kept, rows.Count - kept);
            lines.RemoveRange(kept, lines.Count - kept);
        }

        var duplicates = duplicateLines.Count;
        if (rows.Count == 0 && issues.Count > 0)
        {
            // Every row was refused or already held: the request changed nothing, so it leaves no audit row either.
            return new RecordIndicatorsResult(0, duplicates, [], issues, warnings) { DuplicateLines = duplicateLines };
        }

        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (newReport is { } fresh)
        {
            db.Reports.Add(fresh.Report);
            db.ShareGrants.AddRange(fresh.Grants);
            await db.SaveChangesAsync(cancellationToken);
        }

        await IndicatorWriter.WriteAsync(db, rows, cancellationToken);
        var grants = rows.SelectMany(r => SharedColumns.Grants(r.Id, terms.Value!, session.LocalNode, now)).ToList();
        db.ShareGrants.AddRange(grants);
        audit.Add(db, actor, auditAs ?? AuditEvents.IndicatorsRecorded, owner.Id, request.ReportId is null ? "indicators" : "report", request.ReportId?.ToString(),
            auditDetails ?? new { recorded = rows.Count, rejected = issues.Count, duplicates, tlp = terms.Value!.Tlp.Spell() });
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new RecordIndicatorsResult(rows.Count, duplicates, rows.Select(r => r.Id).ToList(), issues, warnings) { RecordedLines = lines, DuplicateLines = duplicateLines };
    }

    private static async Task<HashSet<(string, long)>> ExistingAsync(Data.RibatDbContext db, Guid owner, Guid? reportId, List<Indicator> rows, CancellationToken cancellationToken)
    {
        var found = new HashSet<(string, long)>();

        // The keys travel as one array parameter (json_each on SQLite, = ANY on PostgreSQL): a thousand separate
        // parameters cost more to bind, by name, than the index probes they feed.
        foreach (var chunk in rows.Select(r => r.ValueKey).Distinct().Chunk(5000))
        {
            var keys = chunk.ToList();
            var hits = await db.Indicators.AsNoTracking()
                .Where(i => i.OwnerOrganisationId == owner && i.ReportId == reportId && EF.Parameter(keys).Contains(i.ValueKey))
                .Select(i => new { i.Type, i.ValueKey })
                .ToListAsync(cancellationToken);
            found.UnionWith(hits.Select(h => (h.Type, h.ValueKey)));
        }

        return found;
    }
}
