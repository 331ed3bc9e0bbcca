using System.Net.Http.Headers;
using Ribat.Taxii.ResponseHandling;
using Ribat.Taxii.Validation;

namespace Ribat.Taxii;

/// <summary>
/// What runs before every TAXII endpoint: authentication (401 with a challenge for Basic and Bearer), content
/// negotiation (406), the API root's name (404), and a last-resort handler so that even an unexpected failure answers
/// in TAXII's error format rather than the REST API's problem details.
/// </summary>
internal sealed class TaxiiPipeline(IEnumerable<ITaxiiPrincipalSource> sources, ILogger<TaxiiPipeline> logger) : IEndpointFilter
{
    private const string PrincipalKey = "ribat.taxii.principal";

    public static TaxiiPrincipal Principal(HttpContext context) =>
        context.Items[PrincipalKey] as TaxiiPrincipal ?? throw new InvalidOperationException("A TAXII endpoint ran before its pipeline.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var credentials))
            {
                return TaxiiResults.Unauthorized("Send an API token: HTTP Basic with the token as the password, or 'Authorization: Bearer <token>'.");
            }

            TaxiiPrincipal? principal = null;
            foreach (var source in sources)
            {
                principal = await source.ResolveAsync(http, credentials, http.RequestAborted);
                if (principal is not null)
                {
                    break;
                }
            }

            if (principal is null)
            {
                return TaxiiResults.Unauthorized("The credentials are unknown, expired or revoked, or their user is disabled.");
            }

            http.Items[PrincipalKey] = principal;
            if (!TaxiiMediaTypeCheck.Accepts(http.Request))
            {
                return TaxiiResults.Error(StatusCodes.Status406NotAcceptable, "Not acceptable", $"This server answers in {TaxiiMediaTypeCheck.Expected}; the Accept header does not allow it.");
            }

            if (http.Request.RouteValues.TryGetValue("apiRoot", out var root) && !string.Equals(root as string, TaxiiServer.ApiRootName, StringComparison.Ordinal))
            {
                return TaxiiResults.Error(StatusCodes.Status404NotFound, "API root not found", $"This server has one API root: /{TaxiiServer.Prefix.Trim('/')}/{TaxiiServer.ApiRootName}/.");
            }

            return await next(context);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(exception, "TAXII request {Method} {Path} failed", http.Request.Method, http.Request.Path);
            return TaxiiResults.Error(StatusCodes.Status500InternalServerError, "Internal error", "The server could not answer; the failure is logged with this error's id.");
        }
    }
}
