using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;

namespace Ribat.Core.Indicators;

public sealed record ImportRequest(
    string? Format,
    SharingTermsInput? Sharing = null,
    Guid? ReportId = null,
    bool AllOrNothing = false,
    CsvColumnMapping? Mapping = null,
    string? Type = null);

public sealed record ImportOutcome(
    string Format,
    int Recorded,
    int Duplicates,
    IReadOnlyList<Guid> ReportIds,
    IReadOnlyList<ImportIssue> Issues,
    IReadOnlyList<ImportIssue> Skipped,
    IReadOnlyList<WarningHit> Warnings);

/// <summary>
/// Imports a file as indicators: MISP JSON events (each event becomes a report; event and attribute TLP and PAP
/// tags become the terms), CSV with a column mapping, or a plain list. The file is read and checked whole
/// before anything is written, then written in one transaction: bad rows are named (line, column, reason) and
/// the good ones kept, or nothing is written when the caller asked for all or nothing. Re-importing an event
/// adds only what is new to the report it created the first time.
/// </summary>
public sealed class ImportIndicators(SharingAccess sharing, RecordIndicators record, TimeProvider clock)
{
    public static IReadOnlyList<string> Formats { get; } = ["misp", "csv", "text"];

    public async Task<Result<ImportOutcome>> HandleAsync(Actor actor, Stream content, ImportRequest request, CancellationToken cancellationToken = default)
    {
        var format = request.Format?.Trim().ToLowerInvariant();
        if (format is null || !Formats.Contains(format))
        {
            return Error.Validation("format", $"'{request.Format}' is not an import format ({string.Join(", ", Formats)}).");
        }

        ObservableType? fixedType = null;
        if (!string.IsNullOrWhiteSpace(request.Type))
        {
            if (!ObservableTypeNames.TryParse(request.Type.Trim(), out var parsed))
            {
                return Error.Validation("type", $"'{request.Type}' is not an observable type.");
            }

            fixedType = parsed;
        }

        if (format == "csv" && request.Mapping is null)
        {
            return Error.Validation("mapping", "A CSV import needs a column mapping: which column holds the value, and the type (a column, or one type for every row).");
        }

        if (format == "misp" && request.ReportId is not null)
        {
            return Error.Validation("reportId", "A MISP event becomes its own report; import it without naming one.");
        }

        if (!IntelligenceRoles.MayWrite(actor))
        {
            return Error.Forbidden("Importing indicators needs the analyst, investigator, liaison or org-admin role.");
        }

        if (actor.RequireWrite() is { } readOnly)
        {
            return readOnly;
        }

        return format switch
        {
            "misp" => await ImportEventsAsync(actor, content, request, cancellationToken),
            "csv" => await ImportListAsync(actor, format, await CsvIndicatorReader.ReadAsync(content, request.Mapping!, CsvReadOptions.Default, cancellationToken), request, cancellationToken),
            _ => await ImportListAsync(actor, format, await TextIndicatorReader.ReadAsync(content, new TextReadOptions { Type = fixedType }, cancellationToken), request, cancellationToken),
        };
    }

    private async Task<Result<ImportOutcome>> ImportListAsync(Actor actor, string format, ImportResult<IReadOnlyList<ExchangeIndicator>> read, ImportRequest request, CancellationToken cancellationToken)
    {
        if (!read.Succeeded)
        {
            return Error.Validation("file", $"The file cannot be read: {read.Issues[0]}");
        }

        if (request.AllOrNothing && read.Issues.Count > 0)
        {
            return new ImportOutcome(format, 0, 0, [], read.Issues, read.Skipped, []);
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        var recorded = await record.RecordInAsync(session, actor, new RecordIndicatorsRequest(read.Value!.Select(ToInput).ToList(), request.Sharing, request.ReportId, request.AllOrNothing),
            null, AuditEvents.IndicatorsImported, new { format, rows = read.Value!.Count, issues = read.Issues.Count }, cancellationToken);
        if (recorded.Error is { } failed)
        {
            return failed;
        }

        await transaction.CommitAsync(cancellationToken);
        var outcome = recorded.Value!;
        return new ImportOutcome(format, outcome.Recorded, outcome.Duplicates, request.ReportId is { } report ? [report] : [],
            read.Issues.Concat(outcome.Issues.Select(i => new ImportIssue(i.Line, i.Column, i.Reason))).ToList(), read.Skipped, outcome.Warnings);
    }

    private async Task<Result<ImportOutcome>> ImportEventsAsync(Actor actor, Stream content, ImportRequest request, CancellationToken cancellationToken)
    {
        var read = await MispEventReader.ReadAsync(content, MispReadOptions.Default, cancellationToken);
        if (!read.Succeeded)
        {
            return Error.Validation("file", $"The file cannot be read as MISP JSON: {read.Issues[0]}");
        }

        if (request.AllOrNothing && read.Issues.Count > 0)
        {
            return new ImportOutcome("misp", 0, 0, [], read.Issues, read.Skipped, []);
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } owner)
        {
            return Error.Forbidden("Indicators are imported for an organisation; this actor has none.");
        }

        var issues = new List<ImportIssue>(read.Issues);
        var warnings = new List<WarningHit>();
        var reportIds = new List<Guid>();
        var recordedCount = 0;
        var duplicates = 0;
        await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var exchange in read.Value!)
        {
            var sharingInput = (request.Sharing ?? new SharingTermsInput()) with
            {
                Tlp = exchange.Tlp ?? request.Sharing?.Tlp,
                Pap = exchange.Pap ?? request.Sharing?.Pap,
            };
            var terms = sharingInput.Resolve(owner);
            if (terms.Error is { } badTerms)
            {
                return badTerms;
            }

            var report = await ReportForAsync(session, exchange, owner.Id, cancellationToken);
            var isNew = report is null;
            report ??= NewReport(exchange, terms.Value!, actor, session.LocalNode, clock.GetUtcNow());
            var inputs = exchange.Indicators.Select(ToInput).ToList();
            if (inputs.Count == 0)
            {
                issues.Add(new ImportIssue(0, null, $"Event '{exchange.Title}' has no attribute Ribat can hold; its report was not created."));
                continue;
            }

            var recorded = await record.RecordInAsync(session, actor, new RecordIndicatorsRequest(inputs, sharingInput, isNew ? null : report.Id, request.AllOrNothing),
                isNew ? (report, SharedColumns.Grants(report.Id, terms.Value!, session.LocalNode, report.CreatedAt).ToList()) : null,
                AuditEvents.IndicatorsImported, new { format = "misp", report = report.Id, source = exchange.SourceId, rows = inputs.Count }, cancellationToken);
            if (recorded.Error is { } failed)
            {
                return failed;
            }

            if (!isNew || recorded.Value!.Recorded > 0)
            {
                reportIds.Add(report.Id);
            }

            recordedCount += recorded.Value!.Recorded;
            duplicates += recorded.Value.Duplicates;
            warnings.AddRange(recorded.Value.Warnings);
            issues.AddRange(recorded.Value.Issues.Select(i => new ImportIssue(i.Line, i.Column, $"event '{exchange.Title}': {i.Reason}")));
            if (request.AllOrNothing && recorded.Value.Issues.Count > 0)
            {
                return new ImportOutcome("misp", 0, duplicates, [], issues, read.Skipped, warnings);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new ImportOutcome("misp", recordedCount, duplicates, reportIds, issues, read.Skipped, warnings);
    }

    private static async Task<IntelligenceReport?> ReportForAsync(ContentSession session, ExchangeReport exchange, Guid owner, CancellationToken cancellationToken) =>
        exchange.SourceId is { Length: > 0 and <= 64 } source
            ? await session.Db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.SourceId == source && r.OwnerOrganisationId == owner, cancellationToken)
            : null;

    private static IntelligenceReport NewReport(ExchangeReport exchange, SharingTerms terms, Actor actor, Guid localNode, DateTimeOffset now)
    {
        var title = string.IsNullOrWhiteSpace(exchange.Title) ? "Imported MISP event" : new string(exchange.Title.Trim().Where(c => !char.IsControl(c)).ToArray());
        var report = new IntelligenceReport
        {
            Id = Guid.CreateVersion7(),
            Title = title.Length > 300 ? title[..300] : title,
            ThreatActor = Limit(exchange.ThreatActor, 200),
            MalwareFamily = Limit(exchange.MalwareFamily, 200),
            AttackTechniques = exchange.AttackTechniques.Distinct().ToList(),
            Tags = exchange.Tags.Where(t => t.Length <= RecordIndicators.MaxTagLength && !t.Any(char.IsControl)).Distinct().Take(RecordIndicators.MaxTags).ToList(),
            FirstSeen = exchange.Date is { } date ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            Description = exchange.Organisation is { } source ? $"Imported from a MISP event created by {Limit(source, 200)}." : "Imported from a MISP event.",
            SourceId = exchange.SourceId is { Length: <= 64 } id ? id : null,
            CreatedBy = actor.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        SharedColumns.Apply(report, terms, localNode);
        return report;
    }

    private static IndicatorInput ToInput(ExchangeIndicator indicator) => new(
        indicator.Type.ToName(),
        indicator.Value,
        Limit(indicator.Comment, 4000),
        indicator.Tags.Where(t => t.Length <= RecordIndicators.MaxTagLength && !t.Any(char.IsControl)).Distinct().Take(RecordIndicators.MaxTags).ToList(),
        indicator.Confidence,
        FirstSeen: indicator.FirstSeen,
        LastSeen: indicator.LastSeen is { } last && indicator.FirstSeen is { } first && last < first ? first : indicator.LastSeen,
        ForDetection: indicator.ForDetection,
        Tlp: indicator.Tlp,
        SourceId: indicator.SourceId is { Length: <= 64 } id ? id : null,
        Line: indicator.Line > 0 ? indicator.Line : null);

    private static string? Limit(string? text, int length) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length > length ? text[..length] : text;
}
