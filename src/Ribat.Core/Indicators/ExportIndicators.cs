using System.Text;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;

namespace Ribat.Core.Indicators;

public sealed record ExportRequest(
    string? Format,
    string? Type = null,
    Guid? ReportId = null,
    bool ShareableOnly = false,
    bool IncludeInactive = false,
    string? RuleAction = null);

public sealed record ExportOutcome(string Format, string ContentType, string FileName, int Written, int Withheld, int Unsupported);

/// <summary>What the exported file is, known before its first byte is written.</summary>
public sealed record ExportFile(string ContentType, string FileName);

/// <summary>
/// Exports what the actor may see, through the sharing predicate, as CSV, MISP JSON or a block list (plain,
/// hosts, Suricata, Snort, RPZ). With <see cref="ExportRequest.ShareableOnly"/> only rows the actor may pass on
/// leave (TLP, H2/H3 and distribution respected). Block lists hold only what is fit for blocking: meant for
/// detection, scoring above zero (not expired, not a false positive) and not on a warning list unless the
/// owner kept it; <see cref="ExportRequest.IncludeInactive"/> lifts that for CSV and MISP only.
/// </summary>
public sealed class ExportIndicators(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    public const int MaxRows = 1_000_000;
    private const int PageSize = 10_000;

    public static IReadOnlyList<string> Formats { get; } = ["csv", "misp", "plain", "hosts", "suricata", "snort", "rpz", "rules"];

    public Task<Result<ExportOutcome>> HandleAsync(Actor actor, ExportRequest request, Stream output, CancellationToken cancellationToken = default) =>
        HandleAsync(actor, request, _ => output, cancellationToken);

    /// <summary>
    /// <paramref name="open"/> is called once, after every check has passed and just before the first byte is
    /// written, with the file's type and name: a response can still set its headers there, and a refused export
    /// leaves the output untouched.
    /// </summary>
    public async Task<Result<ExportOutcome>> HandleAsync(Actor actor, ExportRequest request, Func<ExportFile, Stream> open, CancellationToken cancellationToken = default)
    {
        var format = request.Format?.Trim().ToLowerInvariant();
        if (format is null || !Formats.Contains(format))
        {
            return Error.Validation("format", $"'{request.Format}' is not an export format ({string.Join(", ", Formats)}).");
        }

        if (request.Type is { } type && !IndicatorTypes.IsKnown(type))
        {
            return Error.Validation("type", $"'{type}' is not an indicator type ({IndicatorTypes.Choices}).");
        }

        if (format == "rules" && (request.Type is null || !RuleTypes.IsRule(request.Type)))
        {
            return Error.Validation("type", $"A rules export names the kind of rule ({string.Join(", ", RuleTypes.All)}), as its type.");
        }

        var action = Forensics.Exchange.RuleAction.Alert;
        if (request.RuleAction is { Length: > 0 } spelled && !Enum.TryParse(spelled, ignoreCase: true, out action))
        {
            return Error.Validation("ruleAction", $"'{spelled}' is not a rule action (alert, drop).");
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        IntelligenceReport? report = null;
        if (request.ReportId is { } reportId)
        {
            report = await session.Db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId, cancellationToken);
            if (report is null)
            {
                return Error.NotFound("The report");
            }
        }

        var now = clock.GetUtcNow();
        if (format == "rules")
        {
            return await ExportRulesAsync(session, actor, request, open, now, cancellationToken);
        }

        var blocklist = format is not ("csv" or "misp");
        var rows = new List<ExchangeIndicator>();
        var withheld = 0;
        await foreach (var (row, decision) in VisibleAsync(session, request, cancellationToken))
        {
            var inactive = !row.ForDetection || IndicatorScore.Of(row, now) == 0 || row.WarningList is not null && !row.WarningSuppressed;
            if ((request.ShareableOnly && !decision.MayReshare) || ((blocklist || !request.IncludeInactive) && inactive) || !ObservableTypeNames.TryParse(row.Type, out var observable))
            {
                withheld++;
                continue;
            }

            if (rows.Count == MaxRows)
            {
                return Error.Validation("format", $"More than {MaxRows:N0} indicators match; narrow the export by type or report.");
            }

            rows.Add(new ExchangeIndicator
            {
                Type = observable,
                Value = row.Value,
                Display = row.Display,
                Comment = row.Comment,
                Tags = row.Tags,
                Confidence = row.Confidence,
                FirstSeen = row.FirstSeen,
                LastSeen = row.LastSeen,
                ForDetection = row.ForDetection,
                SourceId = row.SourceId,
                Tlp = row.Tlp.Spell().ToLowerInvariant(),
                Pap = row.Pap.Spell(),
            });
        }

        var unsupported = 0;
        var stamp = now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var (contentType, extension) = format switch
        {
            "csv" => ("text/csv", "csv"),
            "misp" => ("application/json", "json"),
            "rpz" => ("text/dns", "zone"),
            "suricata" or "snort" => ("text/plain", "rules"),
            _ => ("text/plain", "txt"),
        };
        var file = new ExportFile(contentType, $"ribat-indicators-{stamp}.{extension}");
        var output = open(file);
        switch (format)
        {
            case "csv":
                await using (var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true))
                {
                    await CsvIndicatorWriter.WriteAsync(rows, writer, cancellationToken);
                }

                break;
            case "misp":
                await MispEventWriter.WriteAsync(ToEvent(report, rows, now), output, cancellationToken);
                break;
            default:
                var list = Enum.Parse<BlocklistFormat>(format, ignoreCase: true);
                await using (var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true))
                {
                    var written = await BlocklistWriter.WriteAsync(
                        rows.Select(r => new BlocklistEntry(r.Type, r.Value, r.Comment)),
                        list,
                        writer,
                        BlocklistOptions.Default with { Action = action, RpzSerial = now.ToUnixTimeSeconds() },
                        cancellationToken);
                    unsupported = written.Unsupported.Values.Sum() + written.Invalid;
                }

                break;
        }

        audit.Add(session.Db, actor, AuditEvents.IndicatorsExported, actor.OrganisationId, request.ReportId is null ? "indicators" : "report", request.ReportId?.ToString(),
            new { format, written = rows.Count - unsupported, withheld, request.ShareableOnly });
        await session.Db.SaveChangesAsync(cancellationToken);
        return new ExportOutcome(format, file.ContentType, file.FileName, rows.Count - unsupported, withheld, unsupported);
    }

    /// <summary>
    /// Detection rules as the engines load them: one file of YARA rules, Suricata or Snort rules one per line,
    /// or Sigma rules as YAML documents. Only rules the viewer may see (and, if asked, pass on), not marked false
    /// positives, leave.
    /// </summary>
    private async Task<Result<ExportOutcome>> ExportRulesAsync(ContentSession session, Actor actor, ExportRequest request, Func<ExportFile, Stream> open, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rules = new List<string>();
        var withheld = 0;
        await foreach (var (row, decision) in VisibleAsync(session, request, cancellationToken))
        {
            if ((request.ShareableOnly && !decision.MayReshare) || (!request.IncludeInactive && IndicatorScore.Of(row, now) == 0) || row.Pattern is null)
            {
                withheld++;
                continue;
            }

            rules.Add(row.Pattern);
        }

        var type = request.Type!;
        var stamp = now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var (contentType, extension, separator) = type switch
        {
            RuleTypes.Sigma => ("application/yaml", "yml", "\n---\n"),
            RuleTypes.Yara => ("text/plain", "yar", "\n\n"),
            _ => ("text/plain", "rules", "\n"),
        };
        var file = new ExportFile(contentType, $"ribat-{type}-{stamp}.{extension}");
        await using (var writer = new StreamWriter(open(file), new UTF8Encoding(false), leaveOpen: true))
        {
            await writer.WriteAsync(string.Join(separator, rules).AsMemory(), cancellationToken);
            await writer.WriteAsync("\n".AsMemory(), cancellationToken);
        }

        audit.Add(session.Db, actor, AuditEvents.IndicatorsExported, actor.OrganisationId, request.ReportId is null ? "indicators" : "report", request.ReportId?.ToString(),
            new { format = "rules", type, written = rules.Count, withheld, request.ShareableOnly });
        await session.Db.SaveChangesAsync(cancellationToken);
        return new ExportOutcome("rules", file.ContentType, file.FileName, rules.Count, withheld, 0);
    }

    private static async IAsyncEnumerable<(Indicator Row, SharingDecision Decision)> VisibleAsync(ContentSession session, ExportRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Guid? after = null;
        while (true)
        {
            var query = session.Db.Indicators.AsNoTracking();
            if (request.Type is { } type)
            {
                query = query.Where(i => i.Type == type);
            }

            if (request.ReportId is { } report)
            {
                query = query.Where(i => i.ReportId == report);
            }

            if (after is { } last)
            {
                query = query.Where(i => i.Id.CompareTo(last) > 0);
            }

            var page = await query.OrderBy(i => i.Id).Take(PageSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                yield break;
            }

            var grants = await session.GrantsAsync(page.Select(p => p.Id).ToList(), cancellationToken);
            foreach (var row in page)
            {
                yield return (row, session.Decide(row, grants));
            }

            after = page[^1].Id;
        }
    }

    private static ExchangeReport ToEvent(IntelligenceReport? report, List<ExchangeIndicator> rows, DateTimeOffset now) => new()
    {
        Title = report?.Title ?? $"Ribat export {now:yyyy-MM-dd HH:mm} UTC",
        Date = DateOnly.FromDateTime((report?.FirstSeen ?? now).UtcDateTime),
        SourceId = report?.SourceId,
        Tags = report?.Tags ?? [],
        Tlp = report?.Tlp.Spell().ToLowerInvariant(),
        Pap = report?.Pap.Spell(),
        ThreatActor = report?.ThreatActor,
        MalwareFamily = report?.MalwareFamily,
        AttackTechniques = report?.AttackTechniques ?? [],
        Indicators = rows,
    };
}
