using MudBlazor.Services;
using Ribat.Web.Components;

namespace Ribat.Web;

/// <summary>The Blazor web UI: services, middleware and endpoints.</summary>
internal static class WebSetup
{
    public static IServiceCollection AddRibatWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        return services;
    }

    public static IApplicationBuilder UseRibatWeb(this IApplicationBuilder app) => app;

    public static IEndpointRouteBuilder MapRibatWeb(this IEndpointRouteBuilder app)
    {
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
