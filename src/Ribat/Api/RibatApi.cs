using Ribat.Core.Access;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Tenancy.Organisations;
using Ribat.Core.Tenancy.Users;

namespace Ribat.Api;

/// <summary>
/// <c>/api/v1</c>: API-token authentication only, every handler takes the caller as its actor, and every
/// failure is a problem detail. Later modules add their own groups beside these.
/// </summary>
internal static class RibatApi
{
    public const string Prefix = "/api/v1";

    public static IEndpointRouteBuilder MapRibatApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix)
            .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        MapMe(api.MapGroup("/me").WithTags("Me"));
        MapOrganisations(api.MapGroup("/organisations").WithTags("Organisations"));
        MapUsers(api.MapGroup("/users").WithTags("Users"));
        MapTokens(api.MapGroup("/tokens").WithTags("API tokens"));
        MapAudit(api.MapGroup("/audit").WithTags("Audit"));
        api.MapIntelligenceApi();
        api.MapCasesApi();
        api.MapJobsApi();
        api.MapSubjectsApi();
        api.MapJointInvestigationsApi();
        api.MapMoneyApi();
        api.MapCaseWorkApi();
        api.MapIncidentsApi();
        api.MapIncidentEvidenceApi();
        api.MapExercisesApi();
        api.MapNotificationsApi();
        api.MapPackagesApi();
        api.MapPartnersApi();
        api.MapCooperationApi();
        api.MapDirectoryApi();
        api.MapLegislationApi();
        api.MapGroup("/stix").WithTags("STIX").MapStixApi();
        api.MapProvidersApi();
        return app;
    }

    private static void MapMe(RouteGroupBuilder me)
    {
        me.MapGet("", async (HttpContext http, ListUsers users, CancellationToken ct) =>
                (await users.GetAsync(http.Actor(), http.Actor().UserId!.Value, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The caller's own user record.").Produces<UserDto>();
        me.MapPatch("/preferences", async (HttpContext http, UpdatePreferencesRequest request, UpdatePreferences handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), request, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Change the caller's language (en, ar, fr) or calendar (gregorian, hijri).").Produces<UserDto>();
    }

    private static void MapOrganisations(RouteGroupBuilder orgs)
    {
        orgs.MapGet("", async (HttpContext http, ListOrganisations handler, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Organisations the caller may see: all for node administrators, otherwise their own.").Produces<Page<OrganisationDto>>();
        orgs.MapPost("", async (HttpContext http, CreateOrganisationRequest request, CreateOrganisation handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), request, ct)).ToHttp(o => TypedResults.Created($"{Prefix}/organisations/{o.Id}", o)))
            .WithSummary("Add an organisation (node administrators).").Produces<OrganisationDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        orgs.MapGet("/{id}", async (HttpContext http, Guid id, ListOrganisations handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One organisation.").Produces<OrganisationDto>().ProducesProblem(StatusCodes.Status404NotFound);
        orgs.MapPatch("/{id}", async (HttpContext http, Guid id, UpdateOrganisationRequest request, UpdateOrganisation handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, request, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Change an organisation; absent fields stay as they are.").Produces<OrganisationDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapUsers(RouteGroupBuilder users)
    {
        users.MapGet("", async (HttpContext http, ListUsers handler, Guid? organisation, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), organisation, cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Users of the organisations the caller administers.").Produces<Page<UserDto>>();
        users.MapPost("", async (HttpContext http, CreateUserBody body, CreateUser handler, CancellationToken ct) =>
            {
                var actor = http.Actor();
                var request = new CreateUserRequest(body.OrganisationId ?? actor.OrganisationId!.Value, body.Email, body.DisplayName, body.Roles, body.Password);
                return (await handler.HandleAsync(actor, request, ct)).ToHttp(u => TypedResults.Created($"{Prefix}/users/{u.User.Id}", u));
            })
            .WithSummary("Add a user; without a password a one-time password is returned once.").Produces<CreatedUser>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapGet("/{id}", async (HttpContext http, Guid id, ListUsers handler, CancellationToken ct) =>
                (await handler.GetAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("One user.").Produces<UserDto>().ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPatch("/{id}", async (HttpContext http, Guid id, UpdateUserRequest request, UpdateUser handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, request, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Change a user's name, roles or state; absent fields stay as they are.").Produces<UserDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapTokens(RouteGroupBuilder tokens)
    {
        tokens.MapGet("", async (HttpContext http, ListApiTokens handler, Guid? organisation, string? cursor, int? limit, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), organisation, cursor, limit, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("The caller's tokens, or an administered organisation's (?organisation=).").Produces<Page<ApiTokenDto>>();
        tokens.MapPost("", async (HttpContext http, CreateApiTokenRequest request, CreateApiToken handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), request, ct)).ToHttp(t => TypedResults.Created($"{Prefix}/tokens/{t.Token.Id}", t)))
            .WithSummary("Create a token; its secret is in this response only.").Produces<CreatedApiToken>(StatusCodes.Status201Created);
        tokens.MapDelete("/{id}", async (HttpContext http, Guid id, RevokeApiToken handler, CancellationToken ct) =>
                (await handler.HandleAsync(http.Actor(), id, ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Revoke a token, at once and for good.").Produces<ApiTokenDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapAudit(RouteGroupBuilder audit)
    {
        audit.MapGet("", async (HttpContext http, AuditLog log, int? code, string? actor, DateTimeOffset? from, DateTimeOffset? to, Guid? organisation, string? cursor, int? limit, CancellationToken ct) =>
                (await log.ListAsync(http.Actor(), new AuditQuery(code, actor, from, to, organisation, cursor, limit), ct)).ToHttp(TypedResults.Ok))
            .WithSummary("Audit rows, newest first (administrators; org admins see their organisation's rows).").Produces<Page<AuditEntryDto>>();
        audit.MapGet("/export", async (HttpContext http, AuditLog log, int? code, string? actor, DateTimeOffset? from, DateTimeOffset? to, Guid? organisation, CancellationToken ct) =>
                await ExportAuditAsync(http, log, new AuditQuery(code, actor, from, to, organisation), ct))
            .WithSummary("Every matching audit row, oldest first, as JSON lines (application/x-ndjson).");
    }

    /// <summary>Shared by the API and the web UI's download link: checks access before the first byte is sent.</summary>
    public static async Task<IResult> ExportAuditAsync(HttpContext http, AuditLog log, AuditQuery query, CancellationToken ct)
    {
        var actor = http.Actor();
        if (AuditLog.CheckAccess(actor) is { } denied)
        {
            return denied.ToProblem();
        }

        http.Response.ContentType = "application/x-ndjson";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"ribat-audit.jsonl\"";
        var written = await log.ExportAsync(actor, query, http.Response.Body, ct);
        return written.Error is { } error ? error.ToProblem() : TypedResults.Empty;
    }
}

/// <summary>The API's user-creation body: the organisation defaults to the caller's.</summary>
internal sealed record CreateUserBody(Guid? OrganisationId, string? Email, string? DisplayName, IReadOnlyList<string>? Roles, string? Password);
