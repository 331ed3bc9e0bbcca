using Microsoft.AspNetCore.Mvc;
using Ribat.Core.Common;
using Ribat.Core.Prosecution;
using Ribat.Hosting;

namespace Ribat.Api;

/// <summary>The prosecution package of a case: a signed zip a prosecutor checks offline with <c>ribat verify</c>.</summary>
internal static class PackagesApi
{
    public static void MapPackagesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/cases/{id}/package", ExportAsync)
            .WithTags("Cases")
            .WithBodyLimit(RequestBodies.Small)
            .WithSummary("Export the case's evidence as a signed prosecution package (zip): files, manifest of hashes, custody logs, acquisition records, case summary, CASE/UCO JSON-LD, node signature.")
            .WithDescription("Body (optional): `items` (ids; all of the case's when absent) and `purpose`. Every file is re-hashed while it is packaged; each item's custody log " +
                "gets an `export` entry. Items the caller may not use in court (H1, or TLP:AMBER and stricter, without the owner's recorded permission) are refused by name (403). " +
                "Check the package with `ribat verify PACKAGE.zip --fingerprint HEX`.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    internal static async Task<IResult> ExportAsync(HttpContext http, Guid id, [FromBody] PackageRequest? request, ExportPackage handler, NodeIdentity identity, CancellationToken ct)
    {
        if (identity.Key is not { } key)
        {
            return Error.Conflict("The node is still starting and its key is not loaded yet; try again in a moment.").ToProblem();
        }

        var package = await handler.HandleAsync(http.Actor(), id, request ?? new PackageRequest(), key, ct);
        if (package.Error is { } error)
        {
            return error.ToProblem();
        }

        http.Response.Headers["X-Ribat-Package"] = package.Value!.PackageId.ToString();
        return TypedResults.Stream(package.Value.Content, "application/zip", package.Value.FileName);
    }
}
