using Ribat.Api;
using Ribat.Core.Indicators;

namespace Ribat.Web.Intelligence;

/// <summary>The export menu's download: a plain GET the browser saves, signed in by the session cookie.</summary>
internal static class IndicatorDownloads
{
    public const string ExportPath = "/ui/indicators/export";

    public static IEndpointRouteBuilder MapIndicatorDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet(ExportPath, ExportAsync).ExcludeFromDescription();
        return app;
    }

    /// <summary>The link the export menu offers for these choices.</summary>
    public static string ExportUrl(string format, string? type, Guid? report, bool shareableOnly, bool includeInactive, string? ruleAction)
    {
        var query = new Dictionary<string, string?>
        {
            ["format"] = format,
            ["type"] = type,
            ["report"] = report?.ToString(),
            ["shareable"] = shareableOnly ? "true" : null,
            ["inactive"] = includeInactive ? "true" : null,
            ["action"] = ruleAction,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(ExportPath, query.Where(p => p.Value is not null));
    }

    // The file name, its type and any refusal are known only once the use case has run, so the file is written
    // to a temporary file first and sent after; a refusal then answers as a problem, not as a broken download.
    private static async Task<IResult> ExportAsync(HttpContext http, ExportIndicators export, string? format, string? type, Guid? report, bool? shareable, bool? inactive, string? action, CancellationToken ct)
    {
        var buffer = new FileStream(Path.Combine(Path.GetTempPath(), "ribat-export-" + Path.GetRandomFileName()), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var request = new ExportRequest(format, string.IsNullOrWhiteSpace(type) ? null : type, report, shareable == true, inactive == true, string.IsNullOrWhiteSpace(action) ? null : action);
            var outcome = await export.HandleAsync(http.Actor(), request, buffer, ct);
            if (outcome.Error is { } error)
            {
                await buffer.DisposeAsync();
                return error.ToProblem();
            }

            buffer.Position = 0;
            return TypedResults.File(buffer, outcome.Value!.ContentType, outcome.Value.FileName);
        }
        catch
        {
            await buffer.DisposeAsync();
            throw;
        }
    }
}
