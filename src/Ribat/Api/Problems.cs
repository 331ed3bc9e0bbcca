using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Ribat.Core.Common;

namespace Ribat.Api;

/// <summary>The one place that turns expected failures into RFC 9457 problem details.</summary>
internal static class Problems
{
    public static int Status(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.InsufficientStorage => StatusCodes.Status507InsufficientStorage,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult ToProblem(this Error error)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Fields is { Count: > 0 } fields)
        {
            return TypedResults.ValidationProblem(
                fields.ToDictionary(f => f.Key, f => f.Value),
                detail: error.Message,
                title: "The request is not valid.",
                type: "urn:ribat:problem:validation",
                extensions: extensions);
        }

        return TypedResults.Problem(
            detail: error.Message,
            statusCode: Status(error.Kind),
            title: Title(error.Kind),
            type: $"urn:ribat:problem:{error.Code}",
            extensions: extensions);
    }

    public static IResult ToHttp<T>(this Result<T> result, Func<T, IResult> ok) =>
        result.Error is { } error ? error.ToProblem() : ok(result.Value!);

    private static string Title(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => "The request is not valid.",
        ErrorKind.NotFound => "Not found.",
        ErrorKind.Forbidden => "Forbidden.",
        ErrorKind.Conflict => "Conflict.",
        ErrorKind.Unauthorized => "Authentication required.",
        ErrorKind.InsufficientStorage => "Out of storage.",
        _ => "Error.",
    };

    public static void AddTraceId(ProblemDetailsContext context) =>
        context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
}

/// <summary>
/// Malformed request bodies and parameters (bad JSON, wrong types, oversized bodies) answer 400 or 413 with
/// the parser's own words; anything else is a 500 that reveals nothing but the trace id.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var detail = bad.InnerException is System.Text.Json.JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                    StatusCodes.Status415UnsupportedMediaType => "The request body's media type is not accepted.",
                    _ => "The request could not be read.",
                },
                Detail = detail,
                Type = "urn:ribat:problem:bad-request",
            },
        });
    }
}
