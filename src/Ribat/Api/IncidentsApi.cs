using Ribat.Core.Common;
using Ribat.Core.Incidents;
using Ribat.Core.Playbooks;

namespace Ribat.Api;

/// <summary>
/// Incidents over <c>/api/v1</c>. An incident the caller may not see answers 404 whatever the verb; one it sees
/// but does not lead answers 403 to a change.
/// </summary>
internal static class IncidentsApi
{
    private const string Prefix = RibatApi.Prefix;

    public static void MapIncidentsApi(this RouteGroupBuilder api)
    {
        var incidents = api.MapGroup("/incidents").WithTags("Incidents").WithBodyLimit(RequestBodies.Small);
        incidents.MapGet("/taxonomy", () => TypedResults.Ok(IncidentTaxonomy.Classes))
            .WithSummary("The ENISA reference incident classification taxonomy: classes and their types; a category is spelled class:type.")
            .Produces<IReadOnlyList<TaxonomyClass>>();
        incidents.MapGet("/metrics", async (HttpContext http, ReadMetrics handler, DateTimeOffset? from, DateTimeOffset? to, string? period, bool? exercise, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), new MetricsQuery(from, to, period, exercise ?? false), ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Response metrics over the incidents the caller may see reported from..to (default: the last 90 days): time to acknowledge, to first share, " +
                "to act on a share, to contain and to resolve — overall, per organisation, per country and per period (day, week, month); and open incidents by severity and status.")
            .Produces<MetricsDto>().ProducesValidationProblem();
        incidents.MapGet("", async (HttpContext http, ReadIncidents handler, string? status, string? severity, string? q, bool? open, bool? exercise, Guid? exerciseId, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), new IncidentQuery(status, severity, q, open ?? false, exercise ?? false, cursor, limit, exerciseId), ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Incidents the caller may see, newest first; filter by status, severity, title text, or open (still being worked). Exercise incidents only with exercise=true, or of one run with exerciseId.")
            .Produces<Page<IncidentDto>>();
        incidents.MapPost("", async (HttpContext http, IncidentInput input, OpenIncident handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), input, ct)).ToHttp(i => TypedResults.Created($"{Prefix}/incidents/{i.Id}", i)))
            .WithSummary("Open an incident led by the caller's organisation: title, description, category, severity, sectors, countries, participants, sharing terms.")
            .WithDescription($"Severities: {IncidentSeverities.Choices}. Sectors: {IncidentSectors.Choices}. Countries are ISO 3166-1 alpha-2. " +
                "Participants are organisations that see and work the incident as named recipients.")
            .Produces<IncidentDto>(StatusCodes.Status201Created).ProducesValidationProblem();
        incidents.MapGet("/{id}", async (HttpContext http, Guid id, ReadIncidents handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One incident.").Produces<IncidentDto>().ProducesProblem(StatusCodes.Status404NotFound);
        incidents.MapPut("/{id}", async (HttpContext http, Guid id, IncidentInput input, UpdateIncident handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Replace an incident's title and description; absent category, severity, lists, participants and sharing stay as they are (lead only).")
            .Produces<IncidentDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        incidents.MapPost("/{id}/transitions", async (HttpContext http, Guid id, IncidentTransitionInput input, ChangeIncidentStatus handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Move an incident: reported → triage → confirmed → containment → eradication → recovery → closed; rejected before confirmation; merged (mergeInto) until closed.")
            .WithDescription("Rejecting, merging and reopening (closed → recovery, rejected → triage) need a `reason`. Any other move is refused with 409 naming the moves allowed.")
            .Produces<IncidentDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        incidents.MapGet("/{id}/metrics", async (HttpContext http, Guid id, ReadMetrics handler, CancellationToken ct) =>
                (await handler.OfIncidentAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The incident's measured response times, each with the organisation whose clock it is.").Produces<IncidentMetricsDto>().ProducesProblem(StatusCodes.Status404NotFound);
        incidents.MapPost("/{id}/acknowledge", async (HttpContext http, Guid id, AcknowledgeIncident handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("A participant organisation acknowledges the incident shared with it (stops its time-to-acknowledge clock).")
            .Produces<IncidentDto>().ProducesProblem(StatusCodes.Status404NotFound);
        MapWork(incidents, api);
    }

    /// <summary>What the lead and the participants work on together: timeline, tasks, situation reports, links.</summary>
    private static void MapWork(RouteGroupBuilder incidents, RouteGroupBuilder api)
    {
        incidents.MapGet("/{id}/timeline", async (HttpContext http, Guid id, ReadIncidentWork handler, CancellationToken ct) =>
                (await handler.TimelineAsync(http.Actor(), id, ct)).ToHttp(e => TypedResults.Ok(new Page<TimelineEntryDto>(e, null))))
            .WithSummary($"The shared timeline in the order things happened (one page of at most {ReadIncidentWork.MaxTimeline}).")
            .Produces<Page<TimelineEntryDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        incidents.MapPost("/{id}/timeline", async (HttpContext http, Guid id, TimelineEntryInput input, RecordTimelineEntry handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(e => TypedResults.Created($"{Prefix}/incidents/{id}/timeline", e)))
            .WithSummary("Add an entry (text, occurredAt, source) to the shared timeline as the caller's organisation; the lead and participants only.")
            .Produces<TimelineEntryDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        incidents.MapGet("/{id}/tasks", async (HttpContext http, Guid id, ReadIncidentWork handler, CancellationToken ct) =>
                (await handler.TasksAsync(http.Actor(), id, ct)).ToHttp(t => TypedResults.Ok(new Page<IncidentTaskDto>(t, null))))
            .WithSummary("The incident's tasks, oldest first (one page).").Produces<Page<IncidentTaskDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        incidents.MapPost("/{id}/tasks", async (HttpContext http, Guid id, IncidentTaskInput input, AssignTask handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(t => TypedResults.Created($"{Prefix}/incident-tasks/{t.Id}", t)))
            .WithSummary("Create a task for the lead or a participant organisation (assigneeOrganisationId), optionally one of its people, with a due date.")
            .WithDescription("A task for an organisation that does not take part in the incident is refused (400 naming assigneeOrganisationId).")
            .Produces<IncidentTaskDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        incidents.MapGet("/{id}/sitreps", async (HttpContext http, Guid id, ReadIncidentWork handler, CancellationToken ct) =>
                (await handler.SitrepsAsync(http.Actor(), id, ct)).ToHttp(s => TypedResults.Ok(new Page<SitrepDto>(s, null))))
            .WithSummary("Situation reports: every published version, and the caller's organisation's own draft, newest first.")
            .Produces<Page<SitrepDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        incidents.MapPost("/{id}/sitreps", async (HttpContext http, Guid id, DraftSitrep handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(s => TypedResults.Created($"{Prefix}/sitreps/{s.Id}", s)))
            .WithSummary("Start the next version of the organisation's situation report as a draft generated from the incident's data.")
            .Produces<SitrepDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        incidents.MapGet("/{id}/links", async (HttpContext http, Guid id, ReadIncidentWork handler, CancellationToken ct) =>
                (await handler.LinksAsync(http.Actor(), id, ct)).ToHttp(l => TypedResults.Ok(new Page<IncidentLinkDto>(l, null))))
            .WithSummary("Links the caller may see: indicators and reports the sharing policy shows them (here or held from a partner), and value links.").Produces<Page<IncidentLinkDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        incidents.MapPost("/{id}/links", async (HttpContext http, Guid id, IncidentLinkInput input, LinkToIncident handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(l => TypedResults.Created($"{Prefix}/incidents/{id}/links", l)))
            .WithSummary("Link an indicator or report (kind, targetId) the caller may see, or a value (kind 'value', type, value); others see an indicator or report only if they may see the object.")
            .WithDescription("A value is checked and made canonical by the indicator store's rules (defanged input is refanged) and is not added to the indicator store; an unknown type is a 400 naming type, an invalid value one naming value. The link leaves for the participants on partner nodes.")
            .Produces<IncidentLinkDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        incidents.MapDelete("/{id}/links/{linkId}", async (HttpContext http, Guid id, Guid linkId, UnlinkFromIncident handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, linkId, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Remove a link the caller's organisation made (linkId: the link's id, or the linked indicator's or report's id).").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        incidents.MapPost("/{id}/playbooks", async (HttpContext http, Guid id, ApplyPlaybookInput input, ApplyPlaybook handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(t => TypedResults.Created($"{Prefix}/incidents/{id}/tasks", new Page<IncidentTaskDto>(t, null))))
            .WithSummary("Apply a playbook (playbookId) the caller may see: each step becomes a task, lead steps for the lead, the others for assigneeOrganisationId (default: the caller's).")
            .Produces<Page<IncidentTaskDto>>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var playbooks = api.MapGroup("/playbooks").WithTags("Playbooks").WithBodyLimit(RequestBodies.Small);
        playbooks.MapGet("", async (HttpContext http, ReadPlaybooks handler, string? category, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), category, cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Playbooks the caller may see (its organisation's and those shared with it), newest first; filter by category.").Produces<Page<PlaybookDto>>();
        playbooks.MapPost("", async (HttpContext http, PlaybookInput input, WritePlaybook handler, CancellationToken ct) =>
                (await handler.CreateAsync(http.Actor(), input, ct)).ToHttp(p => TypedResults.Created($"{Prefix}/playbooks/{p.Id}", p)))
            .WithSummary($"Write a playbook: title, description, category, ordered steps (title, role: {PlaybookRoles.Choices}; description; dueAfterHours), sharing terms.")
            .Produces<PlaybookDto>(StatusCodes.Status201Created).ProducesValidationProblem();
        playbooks.MapGet("/{id}", async (HttpContext http, Guid id, ReadPlaybooks handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One playbook.").Produces<PlaybookDto>().ProducesProblem(StatusCodes.Status404NotFound);

        var work = api.MapGroup("").WithTags("Incidents").WithBodyLimit(RequestBodies.Small);
        work.MapPut("/timeline-entries/{id}", async (HttpContext http, Guid id, TimelineEntryInput input, EditTimelineEntry handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Correct a timeline entry; only the organisation that wrote it.").Produces<TimelineEntryDto>().ProducesProblem(StatusCodes.Status404NotFound);
        work.MapPatch("/incident-tasks/{id}", async (HttpContext http, Guid id, IncidentTaskInput input, UpdateTask handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary($"Change a task; absent fields stay. Its creator changes anything; the assignee organisation changes only its status ({IncidentTaskStatuses.Choices}).")
            .Produces<IncidentTaskDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        work.MapGet("/sitreps/{id}", async (HttpContext http, Guid id, ReadIncidentWork handler, CancellationToken ct) =>
                (await handler.SitrepAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One situation report version.").Produces<SitrepDto>().ProducesProblem(StatusCodes.Status404NotFound);
        work.MapPut("/sitreps/{id}", async (HttpContext http, Guid id, SitrepInput input, EditSitrep handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Edit a draft situation report (title, body); a published version never changes (409).")
            .Produces<SitrepDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        work.MapPost("/sitreps/{id}/publish", async (HttpContext http, Guid id, PublishSitrep handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Publish a draft to everyone who sees the incident; the version is frozen from then on.")
            .Produces<SitrepDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
