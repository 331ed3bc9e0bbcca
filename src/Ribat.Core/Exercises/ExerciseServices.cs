using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.Exercises;

public static class ExerciseServices
{
    /// <summary>Exercise runs, injects, after-action reports and the in-server conductor for runs started in the web UI.</summary>
    public static IServiceCollection AddExercises(this IServiceCollection services)
    {
        services.TryAddSingleton<ReadExercises>();
        services.TryAddSingleton<StartExercise>();
        services.TryAddSingleton<EndExercise>();
        services.TryAddSingleton<IncidentWorkInjects>();
        services.TryAddSingleton<PlayInject>();
        services.TryAddSingleton<ReadAfterActionReport>();
        services.TryAddSingleton<ExerciseConductor>();
        services.AddHostedService(sp => sp.GetRequiredService<ExerciseConductor>());
        return services;
    }
}
