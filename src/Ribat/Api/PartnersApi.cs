using Ribat.Core.Common;
using Ribat.Core.Federation.Partners;
using Ribat.Hosting;

namespace Ribat.Api;

/// <summary>
/// Partner nodes over <c>/api/v1/partners</c>, for node administrators only: everyone else gets 403. Credentials
/// go in and never come out; inbound secrets come out once, when issued.
/// </summary>
internal static class PartnersApi
{
    private const string Prefix = RibatApi.Prefix;

    /// <summary>Why a partner is disabled or enabled, for the audit log.</summary>
    internal sealed record PartnerStateBody(string? Reason);

    public static void MapPartnersApi(this RouteGroupBuilder api)
    {
        var partners = api.MapGroup("/partners").WithTags("Partners").WithBodyLimit(RequestBodies.Small);
        partners.MapGet("", async (HttpContext http, ReadPartners handler, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.ListAsync(http.Actor(), cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Partner nodes, oldest first: API root, authentication kind, public key and fingerprint, egress rules, state. Never a credential.")
            .Produces<Page<PartnerDto>>();
        partners.MapPost("", async (HttpContext http, PartnerInput input, AddPartner handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), input, ct)).ToHttp(p => TypedResults.Created($"{Prefix}/partners/{p.Partner.Id}", p)))
            .WithSummary("Record a partner node; the answer holds the inbound secret the partner will call us with, this once.")
            .WithDescription("Fields: `name`, `nodeId` (the partner's node id), `apiRoot` (its TAXII 2.1 API root URL), `userName` (HTTP Basic; absent for Bearer), " +
                "`credential` (what the partner issued to us; stored encrypted, never shown again), `publicKey` (PEM, ECDSA P-256), " +
                $"`distributions` ({string.Join(", ", new[] { "connected-communities", "sharing-group" })}; default connected-communities), `sharingGroups` (ids), " +
                "`tlpCeiling` (default green). An unreachable URL is stored; a malformed one is refused.")
            .Produces<PartnerWithSecret>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        partners.MapGet("/identity", async (HttpContext http, ReadPartners handler, NodeIdentity identity, CancellationToken ct) =>
                identity.Key is not { } key
                    ? Error.Conflict("The node is still starting and its key is not loaded yet; try again in a moment.").ToProblem()
                    : (await handler.IdentityAsync(http.Actor(), key, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("This node as partners must record it: node id, public key (PEM) and its SHA-256 fingerprint.")
            .Produces<NodeIdentityDto>();
        partners.MapGet("/{id}", async (HttpContext http, Guid id, ReadPartners handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One partner.").Produces<PartnerDto>().ProducesProblem(StatusCodes.Status404NotFound);
        partners.MapPatch("/{id}", async (HttpContext http, Guid id, PartnerInput input, UpdatePartner handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, input, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Change a partner; absent fields stay as they are, an empty userName switches to Bearer, a credential replaces the stored one.")
            .Produces<PartnerDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        partners.MapPost("/{id}/disable", async (HttpContext http, Guid id, PartnerStateBody? body, ChangePartnerState handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, enabled: false, body?.Reason, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Disable a partner: nothing flows either way and its inbound secret stops working at once. Body (optional): `reason`.")
            .Produces<PartnerDto>().ProducesProblem(StatusCodes.Status404NotFound);
        partners.MapPost("/{id}/enable", async (HttpContext http, Guid id, PartnerStateBody? body, ChangePartnerState handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, enabled: true, body?.Reason, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Enable a disabled partner again. Body (optional): `reason`.")
            .Produces<PartnerDto>().ProducesProblem(StatusCodes.Status404NotFound);
        partners.MapGet("/{id}/sync", async (HttpContext http, Guid id, Core.Federation.Sync.ReadPartnerSync handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The partner's sync state: the added_after cursor per pulled collection, and creation-to-availability latency (p50, p99) per direction over recent deliveries.")
            .Produces<Core.Federation.Sync.PartnerSyncDto>().ProducesProblem(StatusCodes.Status404NotFound);
        partners.MapPost("/{id}/inbound-secret", async (HttpContext http, Guid id, RotatePartnerSecret handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Issue a new inbound secret for the partner (shown in this answer only); the old one stops working at once.")
            .Produces<PartnerWithSecret>().ProducesProblem(StatusCodes.Status404NotFound);

        // The organisations partner nodes host: for every member of an organisation here, as this node's own directory is.
        api.MapGet("/partner-organisations", async (HttpContext http, Core.Tenancy.Organisations.ListOrganisationDirectory handler, string? country, CancellationToken ct) =>
                (await handler.PartnersAsync(http.Actor(), country, ct)).ToHttp(TypedResults.Ok))
            .WithTags("Partners")
            .WithSummary("Organisations hosted on enabled partner nodes, as those nodes describe them: id there, name, country, kind, node and partner; optionally of one ISO country.")
            .Produces<IReadOnlyList<Core.Tenancy.Organisations.PartnerOrganisationEntry>>().ProducesValidationProblem();
    }
}
