using Ribat.Api;
using Ribat.Core.Cooperation;

namespace Ribat.Web.Cooperation;

/// <summary>A request's attachment and its printable form saved by the browser, signed in by the session cookie: the same use cases as the API.</summary>
internal static class RequestDownloads
{
    public static IEndpointRouteBuilder MapRequestDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/requests/{id:guid}/attachments/{attachmentId:guid}", DownloadAsync).ExcludeFromDescription();
        app.MapGet("/ui/requests/{id:guid}/form.pdf", CooperationApi.PrintAsync).ExcludeFromDescription();
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
