using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Findings;
using Ribat.Core.Jobs;

namespace Ribat.Api;

/// <summary>
/// Evidence, findings and analysis jobs of an incident over <c>/api/v1</c>, as a case has them. An incident the caller
/// may not see answers 404 whatever the verb; the item, finding and job endpoints that take an id
/// (<c>/evidence/{id}</c>, <c>/jobs/{id}</c>, <c>/findings/{id}</c>) serve incident items as well.
/// </summary>
internal static class IncidentEvidenceApi
{
    private const string Prefix = RibatApi.Prefix;

    public static void MapIncidentEvidenceApi(this RouteGroupBuilder api)
    {
        var incidents = api.MapGroup("/incidents").WithTags("Incident evidence").WithBodyLimit(RequestBodies.Small);
        incidents.MapGet("/{id}/evidence", async (HttpContext http, Guid id, ReadEvidence handler, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), EvidenceParent.OfIncident(id), cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The incident's evidence items the caller may see, in acquisition order.").Produces<Page<EvidenceDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        incidents.MapPost("/{id}/evidence", (HttpContext http, Guid id, [AsParameters] AcquisitionParameters query, AcquireEvidence handler, CancellationToken ct) =>
                CasesApi.UploadIntoAsync(http, EvidenceParent.OfIncident(id), query, handler, ct))
            .WithSummary("Acquire a file as evidence of the incident: the raw request body (or the first file of a multipart form), streamed to the store; the acquisition record in query parameters.")
            .WithDescription("The same parameters and limits as a case's upload. Only the lead organisation acquires, with the investigator, analyst or org-admin role, while the " +
                "incident is not closed, rejected or merged (409). The item takes the incident's sharing terms, so its participants see it as the policy allows.")
            .Accepts<Stream>("application/octet-stream", "multipart/form-data")
            .Produces<EvidenceDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithMetadata(new BodyLimit(null));
        incidents.MapGet("/{id}/findings", async (HttpContext http, Guid id, ReadFindings handler, CancellationToken ct) =>
                (await handler.ForIncidentAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("What the analyses of the incident's evidence found, item by item.")
            .Produces<IReadOnlyList<FindingDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        incidents.MapPost("/{id}/jobs", async (HttpContext http, Guid id, JobInput input, StartJob handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), EvidenceParent.OfIncident(id), input, ct)).ToHttp(j => TypedResults.Created($"{Prefix}/jobs/{j.Id}", j)))
            .WithSummary("Start a hunt (logs) or a capture analysis (pcap, pcapng) over some of the incident's evidence in the background: `kind`, `evidenceIds`, for a hunt `minLevel`.")
            .WithDescription("As a case's jobs; follow them at `/api/v1/jobs/{id}`. A capture finding's reflectors and sources go to this incident at " +
                "`POST /api/v1/findings/{id}/indicators` without naming it.")
            .Produces<JobDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        incidents.MapGet("/{id}/jobs", async (HttpContext http, Guid id, ReadJobs handler, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), EvidenceParent.OfIncident(id), cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The incident's analysis jobs, newest first, with their state and progress.")
            .Produces<Page<JobDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        incidents.MapGet("/{id}/networks", async (HttpContext http, Guid id, ReadIncidentNetworks handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The address indicators linked to the incident that the caller may see, grouped per AS and country, with the packets and bytes the captures saw: whom to notify.")
            .Produces<IReadOnlyList<IncidentNetworkDto>>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
