using Microsoft.Net.Http.Headers;
using Ribat.Core.Federation;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Api;

/// <summary>
/// STIX 2.1 bundles in and out: an import takes the bundle as the raw body and the sharing terms as query parameters;
/// an export streams the bundle of what the caller may see.
/// </summary>
internal static class StixApi
{
    public static void MapStixApi(this RouteGroupBuilder stix)
    {
        stix.MapPost("/import", async (HttpContext http, [AsParameters] StixImportParameters query, ImportStix handler, CancellationToken ct) =>
            {
                var body = await RequestBodies.ReadBytesAsync(http, ImportStix.MaxBytes, ct);
                var result = await handler.HandleAsync(http.Actor(), body, query.ToRequest(), ct);
                return result.Error is { } error ? error.ToProblem() : TypedResults.Ok(result.Value!);
            })
            .WithSummary("Import a STIX 2.1 bundle sent as the raw body; every object is kept, simple indicators become Ribat indicators too.")
            .WithDescription(
                "Sharing terms for every object: `tlp`, `pap`, `distribution`, `sharingGroupId`, `handling`, `evaluation`; an object's own TLP " +
                "marking (and Ribat extension) is never loosened. A bundle with any error (invalid JSON or a broken STIX MUST) is refused whole " +
                "with 400 listing each error by object id and property; nothing is stored. References that resolve neither in the bundle nor in " +
                "the store are listed in `missingReferences`.")
            .Accepts<Stream>("application/stix+json", "application/json")
            .Produces<ImportStixResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithBodyLimit(ImportStix.MaxBytes);

        stix.MapGet("/export", async (HttpContext http, string? type, bool? shareableOnly, bool? allVersions, ExportStix handler, CancellationToken ct) =>
            {
                var result = await handler.HandleAsync(http.Actor(), new ExportStixRequest(string.IsNullOrWhiteSpace(type) ? null : type.Trim(), shareableOnly ?? false, allVersions ?? false), file =>
                {
                    http.Response.StatusCode = StatusCodes.Status200OK;
                    http.Response.ContentType = file.ContentType;
                    http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = file.FileName }.ToString();
                    return http.Response.Body;
                }, ct);
                return result.Error is { } error ? error.ToProblem() : Results.Empty;
            })
            .WithSummary("Export the STIX objects the caller may see as one bundle: the newest version of each, in the order they were added.")
            .WithDescription("`type` keeps one STIX type; `shareableOnly=true` keeps what the caller may pass on; `allVersions=true` writes every version.")
            .Produces(StatusCodes.Status200OK, contentType: "application/stix+json;version=2.1")
            .ProducesValidationProblem();
    }
}

/// <summary>The query of <c>POST /stix/import</c>: the terms for every object.</summary>
internal sealed record StixImportParameters(string? Tlp, string? Pap, string? Distribution, Guid? SharingGroupId, string? Handling, string? Evaluation)
{
    public ImportStixRequest ToRequest()
    {
        var any = Blank(Tlp) ?? Blank(Pap) ?? Blank(Distribution) ?? Blank(Handling) ?? Blank(Evaluation) ?? SharingGroupId?.ToString();
        return new ImportStixRequest(any is null ? null : new SharingTermsInput(Blank(Tlp), Blank(Pap), Blank(Distribution), SharingGroupId, Blank(Handling), Evaluation: Blank(Evaluation)));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
