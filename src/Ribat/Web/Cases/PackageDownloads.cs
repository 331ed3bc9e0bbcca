using Ribat.Api;
using Ribat.Core.Prosecution;
using Ribat.Hosting;

namespace Ribat.Web.Cases;

/// <summary>A case's prosecution package saved by the browser, signed in by the session cookie: the same use case as the API.</summary>
internal static class PackageDownloads
{
    public static IEndpointRouteBuilder MapPackageDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/cases/{id:guid}/package", (HttpContext http, Guid id, ExportPackage handler, NodeIdentity identity, CancellationToken ct) =>
            PackagesApi.ExportAsync(http, id, new PackageRequest(Purpose: "exported from the web UI"), handler, identity, ct)).ExcludeFromDescription();
        return app;
    }
}
