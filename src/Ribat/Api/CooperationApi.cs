using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Cooperation;
using Ribat.Web.Localisation;

namespace Ribat.Api;

/// <summary>
/// Cooperation requests over <c>/api/v1/requests</c>. A request the caller's organisation neither sent nor received
/// answers 404 whatever the verb; a move that belongs to the other party answers 403.
/// </summary>
internal static class CooperationApi
{
    private const string Prefix = RibatApi.Prefix;

    public static void MapCooperationApi(this RouteGroupBuilder api)
    {
        var requests = api.MapGroup("/requests").WithTags("Cooperation requests").WithBodyLimit(RequestBodies.Small);
        requests.MapGet("", async (HttpContext http, ReadRequests handler, string? box, string? status, string? type, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), box, status, type, cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Requests the caller's organisation sent or received, newest first; filter by box (sent, received), status or type.")
            .Produces<Page<RequestDto>>();
        requests.MapPost("", async (HttpContext http, RequestInput input, DraftRequest handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), input, ct)).ToHttp(r => TypedResults.Created($"{Prefix}/requests/{r.Id}", r)))
            .WithSummary("Write a request as a draft: type, subject, addressee, offences and the type's form fields.")
            .WithDescription($"Types: {RequestForms.Choices}. Offence categories: {OffenceCategories.Choices}. " +
                "Fields per type (required unless marked optional): preservation — requestingAuthority, facts, dataToPreserve, custodian, necessity, assistanceToFollow " +
                "(Art. 29(2) (a)–(f)) and preservationDays (60–365); disclosure — requestingAuthority, dataRequested, facts (optional), linkedRequestId of the preservation; " +
                "mutual-assistance — requestingAuthority, facts, measures, dataRequested, legalBasis, linkedRequestId (optional); subscriber-information — requestingAuthority, facts, " +
                "identifiers, legalBasis, dataRequested (optional), to an authority or a service-provider; domain-registration — requestingAuthority, facts, domainName, legalBasis, " +
                "dataRequested (optional), to an authority or a registrar; emergency — requestingAuthority, risk, facts, dataRequested; technical-assistance — question, facts (optional).")
            .Produces<RequestDto>(StatusCodes.Status201Created).ProducesValidationProblem();
        requests.MapGet("/board", async (HttpContext http, ReadClockBoard handler, bool? all, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), all ?? false, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The clock board: clocks of the organisation's open requests that are due soon or overdue (all running clocks with `all=true`), soonest first.")
            .Produces<IReadOnlyList<BoardEntry>>();
        requests.MapGet("/reminders", async (HttpContext http, ReadClockBoard handler, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.RemindersAsync(http.Actor(), cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Reminders and escalations the clock sweep wrote for the caller's organisation, newest first.")
            .Produces<Page<ReminderDto>>();
        requests.MapGet("/metrics", async (HttpContext http, ReadCooperationMetrics handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Turnaround of the organisation's sent requests by requested country, provider and type (sent → acknowledged → answered, median hours, share of deadlines missed), and of those it received.")
            .Produces<CooperationMetrics>();
        requests.MapGet("/{id}", async (HttpContext http, Guid id, ReadRequests handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One request with its clocks, history, attachments and dual-criminality hints.").Produces<RequestDto>().ProducesProblem(StatusCodes.Status404NotFound);
        requests.MapPut("/{id}", async (HttpContext http, Guid id, RequestInput input, UpdateDraft handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Replace a draft's form (requester only; a sent request is never edited).")
            .Produces<RequestDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapDelete("/{id}", async (HttpContext http, Guid id, DeleteDraft handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Delete a draft; a sent request is withdrawn instead (409).")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id}/transitions", async (HttpContext http, Guid id, RequestMoveInput input, ChangeRequestStatus handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Move a request: the requester sends, withdraws and closes; the addressed organisation acknowledges, starts (in-progress), answers, partially answers or refuses.")
            .WithDescription($"Statuses: {RequestStatusMachine.Choices}. Refusing and withdrawing need a `reason`. Any other move is refused with 409 naming the moves allowed.")
            .Produces<RequestDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id}/extensions", async (HttpContext http, Guid id, ExtensionInput input, ExtendPreservation handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Extend an acknowledged preservation by `days` (1–365), from its current end.")
            .Produces<RequestDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id}/attachments", UploadAsync)
            .WithSummary("Attach a file (the raw body; its name in `fileName`), streamed to the content store. Files over the node's attachment limit (25 MB by default) are refused.")
            .Accepts<Stream>("application/octet-stream")
            .Produces<AttachmentDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithMetadata(new BodyLimit(null));
        requests.MapGet("/{id}/form.pdf", PrintAsync)
            .WithSummary("The request as a printable form (PDF) in the caller's language: parties, legal basis, every field of its form, offences with the dual-criminality hint, deadlines, attachments with their SHA-256 and a signature block. Printing is audited as a read.")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound);
        requests.MapGet("/{id}/attachments/{attachmentId}", DownloadAsync)
            .WithSummary("Download an attachment after re-checking its SHA-256; the read is audited.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static void MapDirectoryApi(this RouteGroupBuilder api)
    {
        var contacts = api.MapGroup("/contact-points").WithTags("24/7 directory").WithBodyLimit(RequestBodies.Small);
        contacts.MapGet("", async (HttpContext http, ContactDirectory handler, string? country, string? q, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), country, q, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The 24/7 point-of-contact directory of every organisation on the node, by country; filter by ISO country code or by organisation or contact name.")
            .Produces<IReadOnlyList<ContactPointDto>>();
        contacts.MapPost("", async (HttpContext http, ContactPointInput input, ContactDirectory handler, CancellationToken ct) =>
                (await handler.SaveAsync(http.Actor(), null, input, ct)).ToHttp(c => TypedResults.Created($"{Prefix}/contact-points/{c.Id}", c)))
            .WithSummary("Add a contact of the caller's organisation: name, role, e-mail, phone, languages, IANA time zone, public key, and whether it is reachable around the clock (escalations go there).")
            .Produces<ContactPointDto>(StatusCodes.Status201Created).ProducesValidationProblem();
        contacts.MapPut("/{id}", async (HttpContext http, Guid id, ContactPointInput input, ContactDirectory handler, CancellationToken ct) =>
                (await handler.SaveAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Replace one of the caller's organisation's contacts.").Produces<ContactPointDto>().ProducesProblem(StatusCodes.Status404NotFound);
        contacts.MapDelete("/{id}", async (HttpContext http, Guid id, ContactDirectory handler, CancellationToken ct) =>
                (await handler.RemoveAsync(http.Actor(), id, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Remove one of the caller's organisation's contacts.").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static void MapLegislationApi(this RouteGroupBuilder api)
    {
        var legislation = api.MapGroup("/legislation").WithTags("Legislation catalogue").WithBodyLimit(RequestBodies.Small);
        legislation.MapGet("", async (HttpContext http, Legislation handler, string? country, CancellationToken ct) =>
                (await handler.CountryAsync(http.Actor(), country, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One country's catalogue: each Convention offence (Arts. 2–10) with the national provisions mapped to it; `missing` where none is.")
            .Produces<CountryLegislation>();
        legislation.MapPost("", async (HttpContext http, ProvisionInput input, Legislation handler, CancellationToken ct) =>
                (await handler.SaveAsync(http.Actor(), null, input, ct)).ToHttp(p => TypedResults.Created($"{Prefix}/legislation/{p.Id}", p)))
            .WithSummary("Map a national provision (country, offence, reference, title, notes) to a Convention offence.")
            .Produces<ProvisionDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        legislation.MapPut("/{id}", async (HttpContext http, Guid id, ProvisionInput input, Legislation handler, CancellationToken ct) =>
                (await handler.SaveAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Change a provision your organisation recorded.").Produces<ProvisionDto>().ProducesProblem(StatusCodes.Status404NotFound);
        legislation.MapDelete("/{id}", async (HttpContext http, Guid id, Legislation handler, CancellationToken ct) =>
                (await handler.RemoveAsync(http.Actor(), id, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Remove a provision your organisation recorded.").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        legislation.MapGet("/export", async (HttpContext http, Legislation handler, string? country, CancellationToken ct) =>
                (await handler.ExportAsync(http.Actor(), country, ct)).ToHttp(TypedResults.Ok))
            .WithSummary($"The catalogue (of one country, or all) as a `{LegislationDocument.CurrentFormat}` document.").Produces<LegislationDocument>();
        legislation.MapPost("/import", async (HttpContext http, Legislation handler, CancellationToken ct) =>
                (await handler.ImportAsync(http.Actor(), http.Request.Body, ct)).ToHttp(TypedResults.Ok))
            .WithSummary($"Import a `{LegislationDocument.CurrentFormat}` document; any bad entry refuses the whole file, naming it (`provisions[3].offence`).")
            .Accepts<LegislationDocument>("application/json").Produces<ImportSummary>().ProducesValidationProblem()
            .WithMetadata(new BodyLimit(RequestBodies.Report));
    }

    public static void MapProvidersApi(this RouteGroupBuilder api)
    {
        var providers = api.MapGroup("/providers").WithTags("Provider knowledge base").WithBodyLimit(RequestBodies.Small);
        providers.MapGet("", async (HttpContext http, ProviderKnowledge handler, string? q, string? kind, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), q, kind, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Service providers and registrars: how to request data from each; filter by name or kind (service-provider, registrar).")
            .Produces<IReadOnlyList<ProviderDto>>();
        providers.MapPost("", async (HttpContext http, ProviderInput input, ProviderKnowledge handler, CancellationToken ct) =>
                (await handler.SaveAsync(http.Actor(), null, input, ct)).ToHttp(p => TypedResults.Created($"{Prefix}/providers/{p.Id}", p)))
            .WithSummary("Add a provider: name, country, kind, legal bases accepted, data types, retention, emergency contact, request channel, notes.")
            .Produces<ProviderDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        providers.MapGet("/export", async (HttpContext http, ProviderExchange handler, CancellationToken ct) =>
                (await handler.ExportAsync(http.Actor(), ct)).ToHttp(TypedResults.Ok))
            .WithSummary($"The knowledge base as a `{ProviderDocument.CurrentFormat}` document (without the turnaround, which is each organisation's own).")
            .Produces<ProviderDocument>();
        providers.MapPost("/import", async (HttpContext http, ProviderExchange handler, CancellationToken ct) =>
                (await handler.ImportAsync(http.Actor(), http.Request.Body, ct)).ToHttp(TypedResults.Ok))
            .WithSummary($"Import a `{ProviderDocument.CurrentFormat}` document: entries are matched by name, added or changed; any bad entry refuses the whole file, naming it (`providers[3].country`).")
            .Accepts<ProviderDocument>("application/json").Produces<ImportSummary>().ProducesValidationProblem()
            .WithMetadata(new BodyLimit(RequestBodies.Report));
        providers.MapGet("/{id}", async (HttpContext http, Guid id, ProviderKnowledge handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One provider, with the turnaround the caller's organisation has seen from it.").Produces<ProviderDto>().ProducesProblem(StatusCodes.Status404NotFound);
        providers.MapPut("/{id}", async (HttpContext http, Guid id, ProviderInput input, ProviderKnowledge handler, CancellationToken ct) =>
                (await handler.SaveAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Replace what the knowledge base says about a provider (any organisation that sends requests keeps it; every change is audited).")
            .Produces<ProviderDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> UploadAsync(HttpContext http, Guid id, string? fileName, AddAttachment handler, CancellationToken ct)
    {
        if (http.Request.ContentLength > handler.MaxBytes)
        {
            return AddAttachment.TooLarge(handler.MaxBytes).ToProblem();
        }

        return (await handler.HandleAsync(http.Actor(), id, fileName, http.Request.Body, ct))
            .ToHttp(a => TypedResults.Created($"{Prefix}/requests/{id}/attachments/{a.Id}", a));
    }

    /// <summary>The printable form, labelled in the caller's language; shared with the web UI's download.</summary>
    internal static async Task<IResult> PrintAsync(HttpContext http, Guid id, PrintRequestForm handler, UiText text, CancellationToken ct)
    {
        var printed = await handler.HandleAsync(http.Actor(), id, key => text[key], ct);
        return printed.Error is { } error
            ? error.ToProblem()
            : TypedResults.File(printed.Value!, "application/pdf", $"request-{id}.pdf");
    }

    private static async Task<IResult> DownloadAsync(HttpContext http, Guid id, Guid attachmentId, ReadRequests handler, CancellationToken ct)
    {
        var opened = await handler.OpenAttachmentAsync(http.Actor(), id, attachmentId, ct);
        if (opened.Error is { } error)
        {
            return error.ToProblem();
        }

        var (attachment, content) = opened.Value;
        return TypedResults.Stream(content, "application/octet-stream", attachment.FileName);
    }
}
