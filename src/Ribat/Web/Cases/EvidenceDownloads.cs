using Ribat.Api;
using Ribat.Core.Evidence;

namespace Ribat.Web.Cases;

/// <summary>An evidence file saved by the browser, signed in by the session cookie: the same use case as the API download.</summary>
internal static class EvidenceDownloads
{
    public static IEndpointRouteBuilder MapEvidenceDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/evidence/{id:guid}/content", DownloadAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> DownloadAsync(HttpContext http, Guid id, ReadEvidence evidence, CancellationToken ct)
    {
        var opened = await evidence.OpenAsync(http.Actor(), id, "downloaded from the web UI", ct);
        return opened.Error is { } error
            ? error.ToProblem()
            : TypedResults.Stream(opened.Value!.Content, "application/octet-stream", opened.Value.FileName);
    }
}
