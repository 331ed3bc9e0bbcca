using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;

namespace Ribat.Api;

/// <summary>
/// Files in and out of the intelligence store: an import takes the file as the raw request body and every
/// choice (format, sharing terms, report, CSV columns) as query parameters, so the body streams straight into
/// the reader and is never held whole here; an export streams the file back as an attachment.
/// </summary>
internal static class IndicatorExchangeApi
{
    /// <summary>The readers' own bound on a MISP file; CSV and text stop at a million rows well before it.</summary>
    public const long MaxImportBytes = 256L * 1024 * 1024;

    public const int MaxPreviewRows = 20;

    public static void MapIndicatorExchange(this RouteGroupBuilder indicators)
    {
        indicators.MapPost("/import", ImportAsync)
            .WithSummary("Import a file (MISP JSON, CSV or a plain list) sent as the raw request body; every choice is a query parameter.")
            .WithDescription(
                "`format` is misp, csv or text. Sharing terms for every row: `tlp`, `pap`, `distribution`, `sharingGroupId`, `handling` (a MISP " +
                "event's own TLP and PAP tags win). `reportId` files csv and text rows into a report (a MISP event becomes its own report). " +
                "`allOrNothing=true` writes nothing if any row is bad. `type` is the one type of a text list, or of CSV rows without a type column. " +
                "CSV columns by header name: `valueColumn` (required), `typeColumn`, `commentColumn`, `tagsColumn`, `confidenceColumn`, " +
                "`firstSeenColumn`, `lastSeenColumn`, `tlpColumn`, `categoryColumn`, `forDetectionColumn` (csv-preview suggests them). " +
                "201: rows were recorded; rows that were not are listed in `issues` (line, column, reason), rows with nothing to hold in " +
                "`skipped`. 200: everything was already held. 400 `urn:ribat:problem:indicator-rows`: nothing was recorded because of bad rows " +
                "(all of them, or any with allOrNothing), each listed in `issues`. 400 `urn:ribat:problem:validation`: the file cannot be read " +
                "at all, or a parameter is wrong.")
            .Accepts<Stream>("application/json", "text/csv", "text/plain", "application/octet-stream")
            .Produces<ImportOutcome>(StatusCodes.Status201Created)
            .Produces<ImportOutcome>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithBodyLimit(MaxImportBytes);
        indicators.MapPost("/import/csv-preview", PreviewAsync)
            .WithSummary("The header, first rows (up to 20) and a suggested column mapping of a CSV file sent as the raw body; nothing is stored.")
            .WithDescription("The mapping's names are the import's query parameters (valueColumn, typeColumn…). Only the start of the body is read.")
            .Accepts<Stream>("text/csv", "text/plain", "application/octet-stream")
            .Produces<CsvPreviewDto>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithBodyLimit(MaxImportBytes);
        indicators.MapGet("/export", async (HttpContext http, [AsParameters] ExportParameters query, ExportIndicators handler, CancellationToken ct) =>
                await ExportAsync(http, query.ToRequest(null), handler, ct))
            .WithSummary("Export the indicators the caller may see as a file: csv, misp, or a block list (plain, hosts, suricata, snort, rpz).")
            .WithDescription(
                "Filters: `type`, `reportId`. `shareableOnly=true` keeps only rows the caller may pass on (TLP, handling, distribution). Block " +
                "lists hold only rows fit for blocking (for detection, scoring above zero, not on a warning list unless kept); " +
                "`includeInactive=true` lifts that for csv and misp. `ruleAction` is alert (default) or drop for suricata and snort. The file " +
                "comes as an attachment with its name.")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static void MapReportExport(this RouteGroupBuilder reports) =>
        reports.MapGet("/{id}/export", async (HttpContext http, Guid id, [AsParameters] ExportParameters query, ExportIndicators handler, CancellationToken ct) =>
                await ExportAsync(http, query.ToRequest(id), handler, ct))
            .WithSummary("Export one report's indicators the caller may see as a file; the same parameters as /indicators/export, misp by default.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> ImportAsync(HttpContext http, [AsParameters] ImportParameters query, ImportIndicators handler, CancellationToken ct)
    {
        var request = query.ToRequest();
        if (request.Error is { } invalid)
        {
            return invalid.ToProblem();
        }

        var result = await handler.HandleAsync(http.Actor(), http.Request.Body, request.Value!, ct);
        if (result.Error is { } error)
        {
            return error.ToProblem();
        }

        var outcome = result.Value!;
        if (outcome.Recorded > 0)
        {
            return TypedResults.Created((string?)null, outcome);
        }

        return outcome.Issues.Count > 0 ? IndicatorRowsProblem.From(outcome) : TypedResults.Ok(outcome);
    }

    private static async Task<Ok<CsvPreviewDto>> PreviewAsync(HttpContext http, int? rows, CancellationToken ct)
    {
        var preview = await CsvIndicatorReader.PreviewAsync(http.Request.Body, Math.Clamp(rows ?? MaxPreviewRows, 1, MaxPreviewRows), cancellationToken: ct);
        return TypedResults.Ok(CsvPreviewDto.From(preview));
    }

    /// <summary>The response's headers are set only once the export is sure to be written; a refused one is a problem.</summary>
    private static async Task<IResult> ExportAsync(HttpContext http, ExportRequest request, ExportIndicators handler, CancellationToken ct)
    {
        var result = await handler.HandleAsync(http.Actor(), request, file =>
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = $"{file.ContentType}; charset=utf-8";
            http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = file.FileName }.ToString();
            return http.Response.Body;
        }, ct);
        return result.Error is { } error ? error.ToProblem() : Results.Empty;
    }
}

/// <summary>The query of <c>POST /indicators/import</c>: the format, the terms for every row and, for CSV, which column holds what.</summary>
internal sealed record ImportParameters(
    string? Format,
    string? Tlp,
    string? Pap,
    string? Distribution,
    Guid? SharingGroupId,
    string? Handling,
    Guid? ReportId,
    bool? AllOrNothing,
    string? Type,
    string? ValueColumn,
    string? TypeColumn,
    string? CommentColumn,
    string? TagsColumn,
    string? ConfidenceColumn,
    string? FirstSeenColumn,
    string? LastSeenColumn,
    string? TlpColumn,
    string? CategoryColumn,
    string? ForDetectionColumn)
{
    public Result<ImportRequest> ToRequest()
    {
        var type = Blank(Type);
        ObservableType? fixedType = null;
        if (type is not null)
        {
            if (!ObservableTypeNames.TryParse(type, out var parsed))
            {
                return Error.Validation("type", $"'{type}' is not an observable type.");
            }

            fixedType = parsed;
        }

        var columns = new[] { TypeColumn, CommentColumn, TagsColumn, ConfidenceColumn, FirstSeenColumn, LastSeenColumn, TlpColumn, CategoryColumn, ForDetectionColumn };
        if (Blank(ValueColumn) is null && columns.Any(c => Blank(c) is not null))
        {
            return Error.Validation("valueColumn", "Name the column that holds the value (valueColumn) along with the other columns.");
        }

        var mapping = Blank(ValueColumn) is { } value
            ? new CsvColumnMapping
            {
                ValueColumn = value,
                TypeColumn = Blank(TypeColumn),
                FixedType = fixedType,
                CommentColumn = Blank(CommentColumn),
                TagsColumn = Blank(TagsColumn),
                ConfidenceColumn = Blank(ConfidenceColumn),
                FirstSeenColumn = Blank(FirstSeenColumn),
                LastSeenColumn = Blank(LastSeenColumn),
                TlpColumn = Blank(TlpColumn),
                CategoryColumn = Blank(CategoryColumn),
                ForDetectionColumn = Blank(ForDetectionColumn),
            }
            : null;
        var terms = Blank(Tlp) ?? Blank(Pap) ?? Blank(Distribution) ?? Blank(Handling) ?? SharingGroupId?.ToString();
        var sharing = terms is null ? null : new SharingTermsInput(Blank(Tlp), Blank(Pap), Blank(Distribution), SharingGroupId, Blank(Handling));
        return new ImportRequest(Format, sharing, ReportId, AllOrNothing ?? false, mapping, type);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>The query of the exports; a report's own export defaults to MISP JSON.</summary>
internal sealed record ExportParameters(string? Format, string? Type, Guid? ReportId, bool? ShareableOnly, bool? IncludeInactive, string? RuleAction)
{
    public ExportRequest ToRequest(Guid? report) => new(
        string.IsNullOrWhiteSpace(Format) ? report is null ? null : "misp" : Format,
        string.IsNullOrWhiteSpace(Type) ? null : Type.Trim(),
        report ?? ReportId,
        ShareableOnly ?? false,
        IncludeInactive ?? false,
        RuleAction);
}

/// <summary>A CSV file's start, with the mapping spelled as the import's query parameters.</summary>
internal sealed record CsvPreviewDto(string Delimiter, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, CsvMappingDto? SuggestedMapping, IReadOnlyList<ImportIssue> Issues)
{
    public static CsvPreviewDto From(CsvPreview preview) => new(
        preview.Delimiter == '\t' ? "\\t" : preview.Delimiter.ToString(),
        preview.Header,
        preview.Rows,
        preview.SuggestedMapping is { } m
            ? new CsvMappingDto(m.ValueColumn, m.TypeColumn, m.FixedType?.ToName(), m.CommentColumn, m.TagsColumn, m.ConfidenceColumn, m.FirstSeenColumn,
                m.LastSeenColumn, m.TlpColumn, m.CategoryColumn, m.ForDetectionColumn)
            : null,
        preview.Issues);
}

internal sealed record CsvMappingDto(
    string ValueColumn,
    string? TypeColumn,
    string? Type,
    string? CommentColumn,
    string? TagsColumn,
    string? ConfidenceColumn,
    string? FirstSeenColumn,
    string? LastSeenColumn,
    string? TlpColumn,
    string? CategoryColumn,
    string? ForDetectionColumn);
