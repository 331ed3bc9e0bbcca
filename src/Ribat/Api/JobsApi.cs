using Ribat.Core.Common;
using Ribat.Core.Findings;
using Ribat.Core.Jobs;

namespace Ribat.Api;

/// <summary>
/// Background analyses of a case's evidence over <c>/api/v1</c>: hunts through logs and capture analyses, their
/// progress, their cancel, and a capture finding's chart. A job the caller may not see answers 404 whatever the verb.
/// </summary>
internal static class JobsApi
{
    private const string Prefix = RibatApi.Prefix;

    public static void MapJobsApi(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Analysis jobs").WithBodyLimit(RequestBodies.Small);
        cases.MapPost("/{id}/jobs", async (HttpContext http, Guid id, JobInput input, StartJob handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(j => TypedResults.Created($"{Prefix}/jobs/{j.Id}", j)))
            .WithSummary("Start an analysis of some of the case's evidence in the background: `kind` hunt (logs) or capture (pcap, pcapng), `evidenceIds`, and for a hunt `minLevel`.")
            .WithDescription("A hunt runs the node's Sigma rules, the indicators the organisation may see and the unauthorized-access rules over EVTX, syslog, access logs, " +
                "JSON lines and CSV (archives too; recognised by content): each detection becomes a finding, each matched indicator gets a sighting. A capture analysis keeps " +
                "the traffic summary (vectors, reflectors, top talkers, series) and its chart as one finding. Jobs run one at a time per node; follow them at `/api/v1/jobs/{id}`. " +
                "Only the organisation that owns the case starts one, while the case is not closed.")
            .Produces<JobDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapGet("/{id}/jobs", async (HttpContext http, Guid id, ReadJobs handler, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), id, cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The case's analysis jobs, newest first, with their state and progress.")
            .Produces<Page<JobDto>>().ProducesProblem(StatusCodes.Status404NotFound);

        var jobs = api.MapGroup("/jobs").WithTags("Analysis jobs").WithBodyLimit(RequestBodies.Small);
        jobs.MapGet("/{id}", async (HttpContext http, Guid id, ReadJobs handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One analysis job: queued, running (phase and progress: bytes or files done of total, events or packets read, detections), succeeded (its summary), failed (why) or cancelled.")
            .Produces<JobDto>().ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id}/cancel", async (HttpContext http, Guid id, CancelJob handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Cancel a job: a waiting one at once, a running one at its next progress beat; nothing of it is kept. 409 once it has ended.")
            .Produces<JobDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var findings = api.MapGroup("/findings").WithTags("Evidence").WithBodyLimit(RequestBodies.Small);
        findings.MapGet("/{id}/chart", async (HttpContext http, Guid id, ReadFindings handler, CancellationToken ct) =>
                (await handler.ChartAsync(http.Actor(), id, ct)).ToHttp(png => TypedResults.File(png, "image/png", $"traffic-{id}.png")))
            .WithSummary("A capture finding's chart: packets and bits per second over the capture (PNG).")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").ProducesProblem(StatusCodes.Status404NotFound);
        findings.MapPost("/{id}/indicators", async (HttpContext http, Guid id, TrafficIndicatorsInput input, RaiseTrafficIndicators handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(r => TypedResults.Created($"{Prefix}/reports/{r.ReportId}", r)))
            .WithSummary("Turn a capture finding's reflectors and top sources into indicators, sighted with their packet counts, linked to the incident `incidentId`.")
            .WithDescription("The indicators go into one intelligence report of your organisation (TLP:AMBER, organisation only) whose description groups them per AS and " +
                "country, so the partner nations to notify are plain; the report and every indicator are linked to the incident. Widen the report to share it.")
            .Produces<TrafficIndicatorsDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
