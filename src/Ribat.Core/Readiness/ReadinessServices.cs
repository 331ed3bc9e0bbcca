using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ribat.Core.Incidents;

namespace Ribat.Core.Readiness;

public static class ReadinessServices
{
    /// <summary>The on-call roster and the incident alerts to the person on duty.</summary>
    public static IServiceCollection AddReadiness(this IServiceCollection services)
    {
        services.AddOptions<ReadinessOptions>()
            .BindConfiguration(ReadinessOptions.Section)
            .Validate(o => o.EscalateAfter > TimeSpan.Zero && o.EscalateAfter <= TimeSpan.FromDays(7), "Readiness: EscalateAfter is positive and at most 7 days.")
            .ValidateOnStart();
        services.TryAddSingleton<OnCallRoster>();
        services.TryAddSingleton<IIncidentAlerts, IncidentAlerts>();
        return services;
    }
}
