using System.Text.Json.Nodes;
using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Api;

/// <summary>
/// The intelligence store over <c>/api/v1</c>: indicators and their sightings, reports, search, extraction,
/// sharing groups and warning lists. Each endpoint hands the caller to one use case, which applies the sharing
/// policy, ownership and the token's scope: an object the caller may not see answers 404 whatever the verb,
/// one it sees but does not own answers 403 to a change.
/// </summary>
internal static class IntelligenceApi
{
    private const string Prefix = RibatApi.Prefix;

    public static void MapIntelligenceApi(this RouteGroupBuilder api)
    {
        var indicators = api.MapGroup("/indicators").WithTags("Indicators").WithBodyLimit(RequestBodies.Small);
        MapIndicators(indicators);
        indicators.MapIndicatorExchange();
        var reports = api.MapGroup("/reports").WithTags("Reports").WithBodyLimit(RequestBodies.Report);
        MapReports(reports);
        reports.MapReportExport();
        MapSearch(api.MapGroup("/search").WithTags("Search"));
        MapSharingGroups(api.MapGroup("/sharing-groups").WithTags("Sharing groups").WithBodyLimit(RequestBodies.Small));
        MapWarningLists(api.MapGroup("/warning-lists").WithTags("Warning lists").WithBodyLimit(RequestBodies.Small));
    }

    private static void MapIndicators(RouteGroupBuilder indicators)
    {
        indicators.MapGet("", async (HttpContext http, ReadIndicators handler, string? type, Guid? reportId, string? tag, bool? mine, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), new IndicatorQuery(type, reportId, tag, mine, cursor, limit), ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Indicators the caller may see, newest first; filter by type, report, tag, or the caller's own (mine=true).")
            .Produces<Page<IndicatorDto>>();
        indicators.MapPost("", RecordAsync)
            .WithSummary("Record one indicator, or a batch under one set of sharing terms.")
            .WithDescription(
                "One indicator: its fields (type, value, comment, tags, confidence, validFrom, validUntil, firstSeen, lastSeen, forDetection, " +
                "suppressWarning, tlp, sourceId) at the top level. A batch: `indicators: [...]`, each row with the same fields and an optional " +
                "`line` to report issues against. `sharing`, `reportId` and `allOrNothing` apply to every row. 201: at least one row was recorded; " +
                "rows that were not are listed in `issues` (line, column, reason). 200: every row was already held (duplicates). 400 " +
                "`urn:ribat:problem:indicator-rows`: nothing was recorded because of bad rows (all of them, or any with allOrNothing); the " +
                "problem's `issues` lists each row and nothing was written.")
            .Produces<RecordIndicatorsResult>(StatusCodes.Status201Created)
            .Produces<RecordIndicatorsResult>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithBodyLimit(RequestBodies.Large);
        indicators.MapPost("/extract", ExtractAsync)
            .WithSummary("Extract indicators from pasted text (text/plain, or JSON {\"text\": …}) as preview rows; nothing is stored.")
            .Accepts<ExtractBody>("application/json", "text/plain")
            .Produces<ExtractionPreview>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithBodyLimit(RequestBodies.Large);
        indicators.MapGet("/{id}", async (HttpContext http, Guid id, ReadIndicators handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One indicator, with its sharing terms and the caller's rights.")
            .Produces<IndicatorDto>().ProducesProblem(StatusCodes.Status404NotFound);
        indicators.MapPatch("/{id}", async (HttpContext http, Guid id, IndicatorChange change, ChangeIndicators handler, CancellationToken ct) =>
                (await handler.UpdateAsync(http.Actor(), id, change, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Change an indicator the caller's organisation owns; absent fields stay as they are, the value never changes.")
            .Produces<IndicatorDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        indicators.MapDelete("/{id}", async (HttpContext http, Guid id, ChangeIndicators handler, CancellationToken ct) =>
                (await handler.DeleteAsync(http.Actor(), id, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Delete an indicator the caller's organisation owns, with every sighting of it.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        indicators.MapGet("/{id}/sightings", async (HttpContext http, Guid id, Sightings handler, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), id, cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Sightings of one indicator the caller may see, newest first; the owner sees every sighting addressed to it.")
            .Produces<Page<SightingDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        indicators.MapPost("/{id}/sightings", async (HttpContext http, Guid id, SightingInput input, Sightings handler, CancellationToken ct) =>
                (await handler.RecordAsync(http.Actor(), id, input, ct)).ToHttp(s => TypedResults.Created($"{Prefix}/indicators/{id}/sightings", s)))
            .WithSummary("Record a sighting (kind seen or false-positive); the indicator's owner is always among its recipients.")
            .Produces<SightingDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<IResult> RecordAsync(HttpContext http, RecordIndicatorsBody body, RecordIndicators handler, CancellationToken ct)
    {
        var request = body.ToRequest();
        if (request.Error is { } invalid)
        {
            return invalid.ToProblem();
        }

        var result = await handler.HandleAsync(http.Actor(), request.Value!, cancellationToken: ct);
        if (result.Error is { } error)
        {
            return error.ToProblem();
        }

        var recorded = result.Value!;
        if (recorded.Recorded == 0)
        {
            return recorded.Issues.Count > 0 ? IndicatorRowsProblem.From(recorded, body.IsSingle) : TypedResults.Ok(recorded);
        }

        return body.IsSingle
            ? TypedResults.Created($"{Prefix}/indicators/{recorded.Ids[0]}", recorded)
            : TypedResults.Created((string?)null, recorded);
    }

    private static async Task<IResult> ExtractAsync(HttpContext http, ExtractIndicators handler, CancellationToken ct)
    {
        string? text;
        if (RequestBodies.IsPlainText(http.Request))
        {
            text = RequestBodies.ReadUtf8(await RequestBodies.ReadBytesAsync(http, RequestBodies.Large, ct));
        }
        else if (RequestBodies.IsJson(http.Request))
        {
            text = RequestBodies.ReadJson<ExtractBody>(http, await RequestBodies.ReadBytesAsync(http, RequestBodies.Large, ct)).Text;
        }
        else
        {
            throw RequestBodies.UnsupportedMediaType("text/plain (UTF-8) or application/json {\"text\": …}");
        }

        return (await handler.PreviewAsync(http.Actor(), text, ct)).ToHttp(TypedResults.Ok);
    }

    private static void MapReports(RouteGroupBuilder reports)
    {
        reports.MapGet("", async (HttpContext http, Reports handler, string? q, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), cursor, limit, q, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Reports the caller may see, newest first; q finds title, threat actor or malware family text, ignoring case.")
            .Produces<Page<ReportDto>>();
        reports.MapPost("", async (HttpContext http, ReportInput input, Reports handler, CancellationToken ct) =>
                (await handler.CreateAsync(http.Actor(), input, ct)).ToHttp(r => TypedResults.Created($"{Prefix}/reports/{r.Id}", r)))
            .WithSummary("Create a report; indicators recorded into it take its sharing terms unless they give their own.")
            .Produces<ReportDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        reports.MapGet("/{id}", async (HttpContext http, Guid id, Reports handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One report.").Produces<ReportDto>().ProducesProblem(StatusCodes.Status404NotFound);
        reports.MapPut("/{id}", async (HttpContext http, Guid id, ReportInput input, Reports handler, CancellationToken ct) =>
                (await handler.UpdateAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Replace a report's content; its sharing terms change only if sharing is given. Its indicators keep their own terms.")
            .Produces<ReportDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        reports.MapDelete("/{id}", async (HttpContext http, Guid id, Reports handler, CancellationToken ct) =>
                (await handler.DeleteAsync(http.Actor(), id, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Delete a report with all its indicators and their sightings.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        reports.MapGet("/{id}/indicators", ReportIndicatorsAsync)
            .WithSummary("The report's indicators the caller may see, newest first.")
            .Produces<Page<IndicatorDto>>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>A report the caller may not see is 404 here too, even though some of its indicators might be visible on their own terms.</summary>
    private static async Task<IResult> ReportIndicatorsAsync(HttpContext http, Guid id, Reports reports, ReadIndicators indicators, string? type, string? tag, string? cursor, int? limit, CancellationToken ct)
    {
        var actor = http.Actor();
        if ((await reports.GetAsync(actor, id, ct)).Error is { } hidden)
        {
            return hidden.ToProblem();
        }

        return (await indicators.ListAsync(actor, new IndicatorQuery(type, id, tag, null, cursor, limit), ct)).ToHttp(TypedResults.Ok);
    }

    private static void MapSearch(RouteGroupBuilder search) =>
        search.MapGet("", async (HttpContext http, Correlate handler, string? q, string? type, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), q, type, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Look up any value (defanged too): every visible indicator holding it, its reports and sightings, and related networks and domains.")
            .WithDescription(
                "Without `type` the value is read as every type it can be (an address, a hash, a domain…), each answered separately. Only " +
                "objects the caller may see are listed or counted: a value held only by others' hidden objects answers `holders: 0`.")
            .Produces<CorrelationResult>();

    private static void MapWarningLists(RouteGroupBuilder lists)
    {
        lists.MapGet("", async (WarningLists handler, CancellationToken ct) =>
                TypedResults.Ok(new Page<WarningListDto>(await handler.ListAsync(ct), null)))
            .WithSummary("The warning lists in force on this node: built-in and loaded, enabled or not (one page).")
            .Produces<Page<WarningListDto>>();
        lists.MapPost("", async (HttpContext http, WarningLists handler, CancellationToken ct) =>
            {
                if (!RequestBodies.IsJson(http.Request))
                {
                    throw RequestBodies.UnsupportedMediaType("application/json (a MISP warning list)");
                }

                var body = await RequestBodies.ReadBytesAsync(http, WarningLists.MaxListBytes, ct);
                return (await handler.ImportAsync(http.Actor(), body, ct)).ToHttp(TypedResults.Ok);
            })
            .WithSummary("Load a MISP-format warning list (node administrators); a list with the same name is replaced.")
            .Accepts<JsonObject>("application/json")
            .Produces<WarningListDto>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithBodyLimit(WarningLists.MaxListBytes);
        lists.MapPut("/{id}/enabled", async (HttpContext http, Guid id, WarningListEnabledBody body, WarningLists handler, CancellationToken ct) =>
                body.Enabled is not { } enabled
                    ? Error.Validation("enabled", "Say whether the list is enabled: {\"enabled\": true} or false.").ToProblem()
                    : (await handler.SetEnabledAsync(http.Actor(), id, enabled, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Enable or disable a loaded warning list (node administrators); built-in lists are always on.")
            .Produces<WarningListDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapSharingGroups(RouteGroupBuilder groups)
    {
        groups.MapGet("", async (HttpContext http, SharingGroups handler, CancellationToken ct) =>
                TypedResults.Ok(new Page<SharingGroupDto>(await handler.ListAsync(http.Actor(), ct), null)))
            .WithSummary("The sharing groups the caller's organisation owns or belongs to, by name (one page).")
            .Produces<Page<SharingGroupDto>>();
        groups.MapPost("", async (HttpContext http, SharingGroupInput input, SharingGroups handler, CancellationToken ct) =>
                (await handler.CreateAsync(http.Actor(), input, ct)).ToHttp(g => TypedResults.Created($"{Prefix}/sharing-groups/{g.Id}", g)))
            .WithSummary("Create a sharing group owned by the caller's organisation; a confidential group hides its members from each other.")
            .WithDescription("Fields: `name`, `description`, `confidential`, `members` (organisation ids on this node) and `partnerMembers` " +
                "(`organisationId` and `nodeId` of organisations hosted on partner nodes; the node must be a recorded partner). " +
                "Objects distributed to the group then also go to the partners hosting a member, if their egress rules allow the group.")
            .Produces<SharingGroupDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        groups.MapGet("/{id}", async (HttpContext http, Guid id, SharingGroups handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One sharing group, with the members the caller may know of.")
            .Produces<SharingGroupDto>().ProducesProblem(StatusCodes.Status404NotFound);
        groups.MapPut("/{id}", async (HttpContext http, Guid id, SharingGroupInput input, SharingGroups handler, CancellationToken ct) =>
                (await handler.UpdateAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Replace a group's name, description, confidentiality and members (its owner only).")
            .Produces<SharingGroupDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        groups.MapDelete("/{id}", async (HttpContext http, Guid id, SharingGroups handler, CancellationToken ct) =>
                (await handler.DeleteAsync(http.Actor(), id, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Delete a group no indicator, report or sighting is distributed to any more (its owner only).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }
}
