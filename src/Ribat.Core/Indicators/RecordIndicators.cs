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

public sealed record RecordIndicatorsResult(int Recorded, int Duplicates, IReadOnlyList<Guid> Ids, IReadOnlyList<RowIssue> Issues, IReadOnlyList<WarningHit> Warnings);

/// <summary>
/// Records a batch of indicators for the actor's organisation: each row validated and canonicalised, checked
/// against the warning lists, de-duplicated (within the batch and against the same owner's indicators in the
/// same report), then written in one transaction with one audit entry. Bad rows are reported by line and
/// reason; the good ones are kept unless the caller asked for all or nothing.
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
        if (session.Organisation is not { } owner)
        {
            return Error.Forbidden("Indicators are recorded for an organisation; this actor has none.");
        }

        var db = session.Db;
        SharingTerms? reportTerms = null;
        if (request.ReportId is { } reportId)
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
        var seen = new HashSet<(string, long)>();
        var duplicates = 0;
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
                duplicates++;
                continue;
            }

            if (ObservableMatch.WarningListFor(index, row) is { } list)
            {
                row.WarningList = list;
                row.WarningSuppressed = input.SuppressWarning;
                warnings.Add(new WarningHit(line, row.Type, row.Value, list, input.SuppressWarning));
            }

            rows.Add(row);
        }

        if (issues.Count > 0 && request.AllOrNothing)
        {
            return new RecordIndicatorsResult(0, duplicates, [], issues, warnings);
        }

        var existing = await ExistingAsync(db, owner.Id, request.ReportId, rows, cancellationToken);
        duplicates += rows.RemoveAll(r => existing.Contains((r.Type, r.ValueKey)));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await IndicatorWriter.WriteAsync(db, rows, cancellationToken);
        var grants = rows.SelectMany(r => SharedColumns.Grants(r.Id, terms.Value!, session.LocalNode, now)).ToList();
        db.ShareGrants.AddRange(grants);
        audit.Add(db, actor, auditAs ?? AuditEvents.IndicatorsRecorded, owner.Id, request.ReportId is null ? "indicators" : "report", request.ReportId?.ToString(),
            auditDetails ?? new { recorded = rows.Count, rejected = issues.Count, duplicates, tlp = terms.Value!.Tlp.Spell() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RecordIndicatorsResult(rows.Count, duplicates, rows.Select(r => r.Id).ToList(), issues, warnings);
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
