using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.Capture;

public static class CaptureServices
{
    /// <summary>Web-page capture into cases. The host registers the <see cref="IPageCapturer"/> (the browser).</summary>
    public static IServiceCollection AddCapture(this IServiceCollection services)
    {
        services.AddOptions<CaptureOptions>().BindConfiguration(CaptureOptions.Section);
        services.TryAddSingleton<CaptureWebPage>();
        return services;
    }
}
