using Ribat.Core.CaseWork;
using Ribat.Web.Localisation;

namespace Ribat.Api;

/// <summary>
/// Working a case over <c>/api/v1/cases/{id}</c>: tasks, notes with their revisions, the timeline and the court
/// report. A case the caller may not see answers 404; a partner reads and gets 403 on a change, as does anyone
/// outside the case's team.
/// </summary>
internal static class CaseWorkApi
{
    private const string Prefix = RibatApi.Prefix;

    public static void MapCaseWorkApi(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Case work").WithBodyLimit(RequestBodies.Small);
        MapTasks(cases);
        MapNotes(cases);
        MapTimeline(cases);
        cases.MapGet("/{id}/report.pdf", (HttpContext http, Guid id, PrintCourtReport handler, UiText text, CancellationToken ct) =>
                ReportAsync(http, id, CourtReportFormat.Pdf, handler, text, ct))
            .WithSummary("The court report as PDF in the caller's language: case summary, evidence with every hash, each item's custody history, the timeline, the findings and charts.")
            .WithDescription("What the caller may see of the case, and nothing else. Producing it is audited as a read.")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapGet("/{id}/report.html", (HttpContext http, Guid id, PrintCourtReport handler, UiText text, CancellationToken ct) =>
                ReportAsync(http, id, CourtReportFormat.Html, handler, text, ct))
            .WithSummary("The court report as one self-contained HTML page, saying what the PDF says.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html").ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// The report as a download. The HTML is sent as an attachment under a policy that runs nothing and loads nothing
    /// but its own inline pictures, whatever text the case holds.
    /// </summary>
    internal static async Task<IResult> ReportAsync(HttpContext http, Guid id, CourtReportFormat format, PrintCourtReport handler, UiText text, CancellationToken ct)
    {
        var printed = await handler.HandleAsync(http.Actor(), id, format, key => text[key], ct);
        if (printed.Error is { } error)
        {
            return error.ToProblem();
        }

        if (format == CourtReportFormat.Pdf)
        {
            return TypedResults.File(printed.Value!, "application/pdf", $"court-report-{id}.pdf");
        }

        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
        return TypedResults.File(printed.Value!, "text/html; charset=utf-8", $"court-report-{id}.html");
    }

    private static void MapTimeline(RouteGroupBuilder cases)
    {
        cases.MapGet("/{id}/timeline", async (HttpContext http, Guid id, string? kind, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit, ReadCaseTimeline handler, CancellationToken ct) =>
                (await handler.PageAsync(http.Actor(), id, new TimelineQuery(kind, from, to, cursor, limit), ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The case's timeline in the order things happened: analyst entries, custody steps of its evidence and findings of its analysers.")
            .WithDescription("`kind` filters by source (comma-separated: entry, custody, finding); `from` and `to` bound the period (inclusive); " +
                "`limit` (1–500, default 50) and `cursor` page through it. Findings of every analyser appear with their kind, title, verdict and time.")
            .Produces<Core.Common.Page<TimelineItemDto>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPost("/{id}/timeline", async (HttpContext http, Guid id, CaseTimelineEntryInput input, RecordCaseTimelineEntry handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(e => TypedResults.Created($"{Prefix}/cases/{id}/timeline", e)))
            .WithSummary("Record what happened: `text`, `occurredAt` (default now; not in the future), `source`. The author and recording time are the server's.")
            .Produces<TimelineItemDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void MapTasks(RouteGroupBuilder cases)
    {
        cases.MapGet("/{id}/tasks", async (HttpContext http, Guid id, string? status, ReadCaseWork handler, CancellationToken ct) =>
                (await handler.TasksAsync(http.Actor(), id, status, ct)).ToHttp(TypedResults.Ok))
            .WithSummary($"The case's tasks, oldest first; filter by `status` ({CaseTaskStatuses.Choices}).")
            .Produces<IReadOnlyList<CaseTaskDto>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPost("/{id}/tasks", async (HttpContext http, Guid id, CaseTaskInput input, CreateCaseTask handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(t => TypedResults.Created($"{Prefix}/cases/{id}/tasks/{t.Id}", t)))
            .WithSummary("Create a task: title, description, assignee (the lead or a member of the case's team), due date, status (default open).")
            .WithDescription("Only the lead and the team of the owning organisation write; a closed case takes no new work (409).")
            .Produces<CaseTaskDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapGet("/{id}/tasks/{taskId}", async (HttpContext http, Guid id, Guid taskId, ReadCaseWork handler, CancellationToken ct) =>
                (await handler.TaskAsync(http.Actor(), id, taskId, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One task.").Produces<CaseTaskDto>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPatch("/{id}/tasks/{taskId}", async (HttpContext http, Guid id, Guid taskId, CaseTaskInput input, UpdateCaseTask handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, taskId, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Change a task; absent fields stay as they are. Status moves: open → in-progress, done, cancelled; in-progress → open, done, cancelled; done → in-progress; cancelled → open.")
            .WithDescription("Any other move is refused with 409 naming the moves allowed.")
            .Produces<CaseTaskDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void MapNotes(RouteGroupBuilder cases)
    {
        cases.MapGet("/{id}/notes", async (HttpContext http, Guid id, ReadCaseWork handler, CancellationToken ct) =>
                (await handler.NotesAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The case's notes at their newest revision, most recently changed first.")
            .Produces<IReadOnlyList<CaseNoteDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPost("/{id}/notes", async (HttpContext http, Guid id, CaseNoteInput input, WriteCaseNote handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(n => TypedResults.Created($"{Prefix}/cases/{id}/notes/{n.Id}", n)))
            .WithSummary("Write a note (title and text, up to 100,000 characters): its revision 1.")
            .Produces<CaseNoteDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapGet("/{id}/notes/{noteId}", async (HttpContext http, Guid id, Guid noteId, ReadCaseWork handler, CancellationToken ct) =>
                (await handler.NoteAsync(http.Actor(), id, noteId, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One note at its newest revision.").Produces<CaseNoteDto>().ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPut("/{id}/notes/{noteId}", async (HttpContext http, Guid id, Guid noteId, CaseNoteInput input, EditCaseNote handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, noteId, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Edit a note: adds a revision, keeps every earlier one. `baseRevision` names the revision the edit was made from.")
            .WithDescription("When a newer revision exists the edit is refused with 409 naming it (number, author, time); nothing is saved.")
            .Produces<CaseNoteDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapGet("/{id}/notes/{noteId}/revisions", async (HttpContext http, Guid id, Guid noteId, ReadCaseWork handler, CancellationToken ct) =>
                (await handler.RevisionsAsync(http.Actor(), id, noteId, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Every revision of a note, oldest first: number, title, text, author, time.")
            .Produces<IReadOnlyList<CaseNoteRevisionDto>>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
