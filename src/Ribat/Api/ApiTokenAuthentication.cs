using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Ribat.Core.Access;
using Ribat.Core.Tenancy;

namespace Ribat.Api;

/// <summary><c>Authorization: Bearer rbt_…</c> on <c>/api</c>. Failures answer 401 with problem details.</summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AuthenticateApiToken authenticate,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");
        }

        var actor = await authenticate.HandleAsync(header["Bearer ".Length..].Trim(), Context.Connection.RemoteIpAddress?.ToString(), Context.RequestAborted);
        if (actor is null)
        {
            return AuthenticateResult.Fail("The API token is unknown, expired or revoked, or its user is disabled.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, actor.UserId!.Value.ToString()),
            new(ClaimTypes.Name, actor.Name),
            new(Actor.OrganisationClaim, actor.OrganisationId!.Value.ToString()),
            new(Actor.TokenScopeClaim, actor.TokenScope == TokenScope.Write ? "write" : "read"),
            new(Actor.TokenIdClaim, actor.TokenId!.Value.ToString()),
        };
        claims.AddRange(actor.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Authentication required.",
                Detail = result.Failure?.Message ?? "Send an API token: 'Authorization: Bearer <token>'. Create one under API tokens or with 'ribat admin token add'.",
                Type = "urn:ribat:problem:unauthorized",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 403, Title = "Forbidden.", Type = "urn:ribat:problem:forbidden" },
        });
    }
}

internal static class HttpActor
{
    /// <summary>The caller; the API group requires authentication, so this is never null inside it.</summary>
    public static Actor Actor(this HttpContext context) =>
        Core.Tenancy.Actor.FromPrincipal(context.User, context.Connection.RemoteIpAddress?.ToString())
        ?? throw new InvalidOperationException("An authenticated endpoint ran without an actor.");
}
