using Ribat.Api;
using Ribat.Core.Cooperation;

namespace Ribat.Web.Cooperation;

/// <summary>A request's attachment saved by the browser, signed in by the session cookie: the same use case as the API download.</summary>
internal static class RequestDownloads
{
    public static IEndpointRouteBuilder MapRequestDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/requests/{id:guid}/attachments/{attachmentId:guid}", DownloadAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> DownloadAsync(HttpContext http, Guid id, Guid attachmentId, ReadRequests requests, CancellationToken ct)
    {
        var opened = await requests.OpenAttachmentAsync(http.Actor(), id, attachmentId, ct);
        return opened.Error is { } error
            ? error.ToProblem()
            : TypedResults.Stream(opened.Value.Content, "application/octet-stream", opened.Value.Attachment.FileName);
    }
}
