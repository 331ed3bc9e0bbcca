using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Findings;

namespace Ribat.Api;

/// <summary>
/// Cases, their evidence and its chain of custody over <c>/api/v1</c>. A case or item the caller may not see
/// answers 404 whatever the verb; one it sees as a partner but does not own answers 403 to a change.
/// </summary>
internal static class CasesApi
{
    private const string Prefix = RibatApi.Prefix;

    public static void MapCasesApi(this RouteGroupBuilder api)
    {
        MapCases(api.MapGroup("/cases").WithTags("Cases").WithBodyLimit(RequestBodies.Small));
        MapEvidence(api.MapGroup("/evidence").WithTags("Evidence").WithBodyLimit(RequestBodies.Small));
    }

    private static void MapCases(RouteGroupBuilder cases)
    {
        cases.MapGet("", async (HttpContext http, ReadCases handler, string? status, string? q, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), status, q, cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Cases the caller may see (its organisation's and those it is a partner of), newest first; filter by status or title text.")
            .Produces<Page<CaseDto>>();
        cases.MapPost("", async (HttpContext http, CaseInput input, OpenCase handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), input, ct)).ToHttp(c => TypedResults.Created($"{Prefix}/cases/{c.Id}", c)))
            .WithSummary("Open a case: title, summary, Budapest Convention offences, national categories, lead, team, partners, sharing terms.")
            .WithDescription($"Offence categories: {OffenceCategories.Choices}. The lead defaults to the caller; lead and team are users of the caller's organisation. " +
                "Partners are organisations that see the case and its evidence as named recipients.")
            .Produces<CaseDto>(StatusCodes.Status201Created).ProducesValidationProblem();
        cases.MapGet("/{id}", async (HttpContext http, Guid id, ReadCases handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One case.").Produces<CaseDto>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPut("/{id}", async (HttpContext http, Guid id, CaseInput input, UpdateCase handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Replace a case's title and summary; absent lists (offences, categories, team, partners) and sharing stay as they are. Its evidence follows its audience.")
            .Produces<CaseDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapDelete("/{id}", async (HttpContext http, Guid id, DeleteCase handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Delete a case opened by mistake; a case holding evidence is closed instead (409).")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapPost("/{id}/transitions", async (HttpContext http, Guid id, CaseTransitionInput input, ChangeCaseStatus handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Move a case: open → active or closed; active → suspended or closed; suspended → active or closed; closed → active (reopen, lead or org admin).")
            .WithDescription("Suspending, closing and reopening need a `reason`. Any other move is refused with 409 naming the moves allowed.")
            .Produces<CaseDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapGet("/{id}/evidence", async (HttpContext http, Guid id, ReadEvidence handler, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), id, cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The case's evidence items, in acquisition order.").Produces<Page<EvidenceDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPost("/{id}/evidence", UploadAsync)
            .WithSummary("Acquire a file as evidence: the raw request body (or the first file of a multipart form), streamed to the store; the acquisition record in query parameters.")
            .WithDescription("Query parameters: `fileName` (required unless the multipart part names it), `description`, `acquiredAt`, `acquiredWhere`, `method`, `tool`, " +
                "`toolVersion`, `sourceDevice`, `sealNumber`, `notes`, and the item's own `handling` (H0–H3), `handlingConditions` and `evaluation` (e.g. B2). " +
                "MD5, SHA-1 and SHA-256 are computed while the file arrives. Any size is accepted; 507 when the store is full, and nothing is kept of an interrupted upload.")
            .Accepts<Stream>("application/octet-stream", "multipart/form-data")
            .Produces<EvidenceDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithMetadata(new BodyLimit(null));
        cases.MapGet("/{id}/verification", async (HttpContext http, Guid id, VerifyEvidence handler, CancellationToken ct) =>
                (await handler.RunAsync(http.Actor(), id, null, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Verify every item of the case: stored files against their acquisition hashes and each custody chain; problems name the item and entry.")
            .Produces<EvidenceVerification>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapGet("/{id}/findings", async (HttpContext http, Guid id, ReadFindings handler, CancellationToken ct) =>
                (await handler.ForCaseAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("What the analysis of the case's evidence found, item by item.")
            .Produces<IReadOnlyList<FindingDto>>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapEvidence(RouteGroupBuilder evidence)
    {
        evidence.MapGet("/{id}", async (HttpContext http, Guid id, ReadEvidence handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One evidence item: hashes, acquisition record, holder, state, handling codes and evaluation.")
            .Produces<EvidenceDto>().ProducesProblem(StatusCodes.Status404NotFound);
        evidence.MapGet("/{id}/content", DownloadAsync)
            .WithSummary("Download the file, after re-verifying its hash; the access is recorded in its custody log (purpose in `purpose`).")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        evidence.MapGet("/{id}/custody", async (HttpContext http, Guid id, ReadEvidence handler, CancellationToken ct) =>
                (await handler.CustodyAsync(http.Actor(), id, ct)).ToHttp(entries => TypedResults.Ok(new Page<CustodyEntryDto>(entries, null))))
            .WithSummary("The item's whole chain of custody, oldest first (one page), with each entry's hashes.")
            .Produces<Page<CustodyEntryDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        evidence.MapPost("/{id}/custody", async (HttpContext http, Guid id, CustodyInput input, RecordCustody handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(e => TypedResults.Created($"{Prefix}/evidence/{id}/custody", e)))
            .WithSummary("Record a custody step: seal (sealNumber), transfer (toUserId), access, copy, analyse, export, return or dispose (notes).")
            .WithDescription("Seal, transfer, return and dispose are the holder's; a transfer waits for the receiver's acknowledgement. The stored file is re-verified first: 409 if it changed.")
            .Produces<EvidenceDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        evidence.MapPost("/{id}/custody/acknowledge", async (HttpContext http, Guid id, AcknowledgeInput input, AcknowledgeTransfer handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(e => TypedResults.Created($"{Prefix}/evidence/{id}/custody", e)))
            .WithSummary("The named receiver acknowledges a pending transfer and becomes the holder.")
            .Produces<EvidenceDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        evidence.MapGet("/{id}/verification", async (HttpContext http, Guid id, VerifyEvidence handler, CancellationToken ct) =>
                (await handler.RunAsync(http.Actor(), null, id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Verify one item: its stored file and its custody chain.")
            .Produces<EvidenceVerification>().ProducesProblem(StatusCodes.Status404NotFound);
        evidence.MapPost("/{id}/analyses", async (HttpContext http, Guid id, AnalysisInput input, AnalyseEvidence handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(f => TypedResults.Created($"{Prefix}/evidence/{id}/findings", f)))
            .WithSummary("Analyse the item as an e-mail (one message or an mbox: `kind: email`) or a file (`kind: file`), once.")
            .WithDescription("The findings are kept (the report `ribat analyze` writes), the indicators go into an intelligence report of the owner (organisation only, TLP:AMBER), " +
                "each message's attachments are acquired as evidence items of the case, and the item's custody log records the analysis; all of it or nothing. " +
                "400 when the content is not what `kind` says, 409 when the item was analysed already or the case is closed.")
            .Produces<IReadOnlyList<FindingDto>>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        evidence.MapGet("/{id}/findings", async (HttpContext http, Guid id, ReadFindings handler, CancellationToken ct) =>
                (await handler.ForEvidenceAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("What the analysis of the item found: one finding per message of an e-mail file, one for any other file.")
            .Produces<IReadOnlyList<FindingDto>>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static Task<IResult> UploadAsync(HttpContext http, Guid id, [AsParameters] AcquisitionParameters query, AcquireEvidence handler, CancellationToken ct) =>
        UploadIntoAsync(http, EvidenceParent.OfCase(id), query, handler, ct);

    /// <summary>One file streamed into a case or an incident: the raw body, or the first file of a multipart form.</summary>
    internal static async Task<IResult> UploadIntoAsync(HttpContext http, EvidenceParent parent, AcquisitionParameters query, AcquireEvidence handler, CancellationToken ct)
    {
        var input = query.ToInput();
        if (MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
            if (string.IsNullOrEmpty(boundary))
            {
                throw new BadHttpRequestException("The multipart body names no boundary.", StatusCodes.Status400BadRequest);
            }

            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                {
                    var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    return Created(await handler.HandleAsync(http.Actor(), parent, input with { FileName = input.FileName ?? name }, section.Body, ct));
                }
            }

            return Error.Validation("file", "The multipart form holds no file.").ToProblem();
        }

        return Created(await handler.HandleAsync(http.Actor(), parent, input, http.Request.Body, ct));
    }

    private static IResult Created(Result<EvidenceDto> result) =>
        result.ToHttp(e => TypedResults.Created($"{Prefix}/evidence/{e.Id}", e));

    private static async Task<IResult> DownloadAsync(HttpContext http, Guid id, string? purpose, ReadEvidence handler, CancellationToken ct)
    {
        var opened = await handler.OpenAsync(http.Actor(), id, purpose, ct);
        if (opened.Error is { } error)
        {
            return error.ToProblem();
        }

        var content = opened.Value!;
        http.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(content.Sha256))}:";
        return TypedResults.Stream(content.Content, "application/octet-stream", content.FileName);
    }
}

/// <summary>The acquisition record of an upload, as query parameters (the body is the file).</summary>
internal sealed record AcquisitionParameters(
    string? FileName,
    string? Description,
    DateTimeOffset? AcquiredAt,
    string? AcquiredWhere,
    string? Method,
    string? Tool,
    string? ToolVersion,
    string? SourceDevice,
    string? SealNumber,
    string? Notes,
    string? Handling,
    string? HandlingConditions,
    string? Evaluation)
{
    public AcquisitionInput ToInput() =>
        new(FileName, Description, AcquiredAt, AcquiredWhere, Method, Tool, ToolVersion, SourceDevice, SealNumber, Notes, Handling, HandlingConditions, Evaluation);
}
