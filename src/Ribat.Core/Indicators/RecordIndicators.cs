using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
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
public sealed class RecordIndicators(SharingAccess sharing, WarningLists warningLists, AuditTrail audit, TimeProvider clock, ILogger<RecordIndicators> log)
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
        CancellationToken cancellationToken,
        bool mirrorToStix = true)
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

        terms = await Federation.Sync.PartnerRecipients.PlaceAsync(db, terms.Value!, cancellationToken);

        var now = clock.GetUtcNow();
        var index = await warningLists.IndexAsync(cancellationToken);
        var built = Build(inputs, terms.Value!, request.ReportId, actor.UserId, now, session.LocalNode, index);
        var issues = new List<RowIssue>();
        var warnings = new List<WarningHit>();
        var rows = new List<Indicator>(inputs.Count);
        var lines = new List<int>(inputs.Count);
        var seen = new HashSet<(string, long)>(inputs.Count);
        var duplicateLines = new List<int>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var line = input.Line ?? i + 1;
            if (built[i].Error is { } problem)
            {
                issues.Add(new RowIssue(line, problem.Field, problem.Reason));
                continue;
            }

            var row = built[i].Row!;
            if (!seen.Add((row.Type, row.ValueKey)))
            {
                duplicateLines.Add(line);
                continue;
            }

            if (row.WarningList is { } list)
            {
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

        // A report created with this batch, or one that holds nothing yet, has nothing to repeat.
        var empty = newReport is not null
            || (request.ReportId is { } into && !await db.Indicators.AnyAsync(i => i.ReportId == into, cancellationToken));
        var existing = empty ? [] : await ExistingAsync(db, owner.Id, request.ReportId, rows, cancellationToken);
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

        // The rows stand for their current STIX versions (ADR 0017): dated here, written with them.
        if (mirrorToStix)
        {
            await Federation.StixMirror.DateRecordedAsync(db, rows, clock, cancellationToken);
        }

        await IndicatorWriter.WriteAsync(db, rows, cancellationToken);
        if (terms.Value!.Recipients.Count > 0 || terms.Value.Permissions.CourtUse.Count > 0 || terms.Value.Permissions.OnwardSharing.Count > 0)
        {
            db.ShareGrants.AddRange(rows.SelectMany(r => SharedColumns.Grants(r.Id, terms.Value, session.LocalNode, now)));
        }

        if (mirrorToStix)
        {
            await Federation.StixMirror.RecordedAsync(db, rows, session.LocalNode, clock, cancellationToken);
        }

        audit.Add(db, actor, auditAs ?? AuditEvents.IndicatorsRecorded, owner.Id, request.ReportId is null ? "indicators" : "report", request.ReportId?.ToString(),
            auditDetails ?? new { recorded = rows.Count, rejected = issues.Count, duplicates, tlp = terms.Value!.Tlp.Spell() });
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);

            // The rows are stored: a caller that goes away now does not cut a move short.
            await KeyTables.MergeIfDueAsync(db, rows.Count, log, CancellationToken.None);
        }

        return new RecordIndicatorsResult(rows.Count, duplicates, rows.Select(r => r.Id).ToList(), issues, warnings) { RecordedLines = lines, DuplicateLines = duplicateLines };
    }

    /// <summary>Below this many rows a batch is built on the calling thread; above it, on every core.</summary>
    private const int ParallelFrom = 2048;

    /// <summary>
    /// Validates, canonicalises, keys and checks against the warning lists every input, in input order. Each row is
    /// independent of the others, so a large batch is built on every core while the database waits for it.
    /// </summary>
    private static IndicatorRows.Built[] Build(IReadOnlyList<IndicatorInput> inputs, SharingTerms terms, Guid? reportId, Guid? userId, DateTimeOffset now, Guid localNode, Forensics.Ioc.WarningListIndex index)
    {
        var built = new IndicatorRows.Built[inputs.Count];
        void BuildOne(int i)
        {
            var one = IndicatorRows.Build(inputs[i], terms, reportId, userId, now, localNode);
            if (one.Row is { } row)
            {
                row.WarningList = ObservableMatch.WarningListFor(index, row);
            }

            built[i] = one;
        }

        if (inputs.Count < ParallelFrom)
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                BuildOne(i);
            }
        }
        else
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, inputs.Count, 1024), range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    BuildOne(i);
                }
            });
        }

        return built;
    }

    /// <summary>
    /// The (type, value key) of every row of <paramref name="rows"/> the owner already holds in the same report (or
    /// standalone): one exact probe of the correlation index per (value key, duplicate key) pair, then a comparison of
    /// the columns the duplicate key stands for. On PostgreSQL the pairs travel as two array parameters joined to the
    /// index; on SQLite one prepared statement is stepped per pair. No ORM translation of a list of pairs probes an
    /// index per pair. The query reads the owner's own rows only, which the owner always sees.
    /// </summary>
    private static async Task<HashSet<(string, long)>> ExistingAsync(Data.RibatDbContext db, Guid owner, Guid? reportId, List<Indicator> rows, CancellationToken cancellationToken)
    {
        var found = new HashSet<(string, long)>();
        if (rows.Count == 0)
        {
            return found;
        }

        var pairs = rows.Select(r => (r.ValueKey, r.DuplicateKey)).Distinct().ToList();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var held = db.IsPostgres ? await HeldOnPostgresAsync(db, owner, pairs, cancellationToken) : IndicatorWriter.Probe((Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection(), owner, pairs, cancellationToken);
            found.UnionWith(held.Where(h => h.Report == reportId).Select(h => (h.Type, h.ValueKey)));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return found;
    }

    private static async Task<List<(string Type, long ValueKey, Guid? Report)>> HeldOnPostgresAsync(Data.RibatDbContext db, Guid owner, List<(long ValueKey, long DuplicateKey)> pairs, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = """
            SELECT i."Type", i."ValueKey", i."ReportId" FROM unnest(@keys, @duplicates) AS p(k, d)
            JOIN indicators AS i ON i."ValueKey" = p.k AND i."DuplicateKey" = p.d
            WHERE i."OwnerOrganisationId" = @owner
            """;
        command.Parameters.Add(new Npgsql.NpgsqlParameter<long[]>("keys", pairs.Select(p => p.ValueKey).ToArray()));
        command.Parameters.Add(new Npgsql.NpgsqlParameter<long[]>("duplicates", pairs.Select(p => p.DuplicateKey).ToArray()));
        command.Parameters.Add(new Npgsql.NpgsqlParameter<Guid>("owner", owner));
        var held = new List<(string, long, Guid?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            held.Add((reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetGuid(2)));
        }

        return held;
    }
}
