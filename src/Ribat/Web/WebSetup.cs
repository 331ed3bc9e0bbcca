using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;
using Ribat.Web.Account;
using Ribat.Web.Cases;
using Ribat.Web.Components;
using Ribat.Web.Cooperation;
using Ribat.Web.Intelligence;
using Ribat.Web.Localisation;

namespace Ribat.Web;

/// <summary>The Blazor web UI: services, middleware and endpoints.</summary>
internal static class WebSetup
{
    public static IServiceCollection AddRibatWeb(this IServiceCollection services)
    {
        // A pasted report arrives as one circuit message; SignalR's 32 KB default would drop the circuit on a
        // few pages of text. 1 MiB covers the paste box (256 K characters, up to 3 bytes each); longer texts are uploaded as files.
        services.AddRazorComponents().AddInteractiveServerComponents().AddHubOptions(o => o.MaximumReceiveMessageSize = 1024 * 1024);
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        services.AddMudServices();
        services.AddSingleton<UiText>();
        services.AddScoped<SignInAudit>();
        return services;
    }

    /// <summary>Runs after authentication, so the user's language and pending obligations are known.</summary>
    public static IApplicationBuilder UseRibatWeb(this IApplicationBuilder app) =>
        app.UseRequestCulture().UseObligations();

    public static IEndpointRouteBuilder MapRibatWeb(this IEndpointRouteBuilder app)
    {
        app.MapAccountEndpoints();
        app.MapIndicatorDownloads();
        app.MapEvidenceDownloads();
        app.MapPackageDownloads();
        app.MapCourtReportDownloads();
        app.MapRequestDownloads();
        app.MapLegislationDownloads();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
