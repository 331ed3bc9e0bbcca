using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.Jobs;

public static class JobServices
{
    /// <summary>Starting, reading and cancelling analysis jobs. The worker that runs them is added by <see cref="AddJobWorker"/>.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>()
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.HeartbeatInterval > TimeSpan.Zero && o.StaleAfter > o.HeartbeatInterval && o.MaxFindings > 0,
                "Analysis jobs need a positive poll and heartbeat interval, a stale limit longer than the heartbeat, and room for findings.");
        services.TryAddSingleton<JobSignal>();
        services.TryAddSingleton<StartJob>();
        services.TryAddSingleton<ReadJobs>();
        services.TryAddSingleton<CancelJob>();
        services.TryAddSingleton<ServerSigma>();
        services.TryAddSingleton<RaiseTrafficIndicators>();
        services.TryAddSingleton<ReadIncidentNetworks>();
        return services;
    }

    /// <summary>The background worker: only on a serving node, never in the CLI commands that build the core too.</summary>
    public static IServiceCollection AddJobWorker(this IServiceCollection services)
    {
        services.TryAddSingleton<HuntAnalysis>();
        services.TryAddSingleton<CaptureAnalysis>();
        services.TryAddSingleton<RunJob>();
        services.AddHostedService<JobWorker>();
        return services;
    }
}
