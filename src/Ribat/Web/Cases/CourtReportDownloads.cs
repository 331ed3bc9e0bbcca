using Ribat.Api;
using Ribat.Core.CaseWork;
using Ribat.Web.Localisation;

namespace Ribat.Web.Cases;

/// <summary>A case's court report saved by the browser, signed in by the session cookie: the same use case as the API.</summary>
internal static class CourtReportDownloads
{
    public static IEndpointRouteBuilder MapCourtReportDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/cases/{id:guid}/report.pdf", (HttpContext http, Guid id, PrintCourtReport handler, UiText text, CancellationToken ct) =>
            CaseWorkApi.ReportAsync(http, id, CourtReportFormat.Pdf, handler, text, ct)).ExcludeFromDescription();
        app.MapGet("/ui/cases/{id:guid}/report.html", (HttpContext http, Guid id, PrintCourtReport handler, UiText text, CancellationToken ct) =>
            CaseWorkApi.ReportAsync(http, id, CourtReportFormat.Html, handler, text, ct)).ExcludeFromDescription();
        return app;
    }
}
