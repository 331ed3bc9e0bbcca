using Ribat.Api;
using Ribat.Core.Cooperation;

namespace Ribat.Web.Cooperation;

/// <summary>The legislation catalogue saved by the browser as a JSON file: the same use case as the API export.</summary>
internal static class LegislationDownloads
{
    public static IEndpointRouteBuilder MapLegislationDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/legislation/export", async (HttpContext http, string? country, Legislation legislation, CancellationToken ct) =>
        {
            var exported = await legislation.ExportAsync(http.Actor(), country, ct);
            if (exported.Error is { } error)
            {
                return error.ToProblem();
            }

            var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(exported.Value, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true });
            return TypedResults.File(json, "application/json", $"legislation-{(string.IsNullOrWhiteSpace(country) ? "all" : country.Trim().ToUpperInvariant())}.json");
        }).ExcludeFromDescription();
        return app;
    }
}
