using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.CaseWork;

public static class CaseWorkServices
{
    /// <summary>Working a case: tasks, notes with their revisions, the timeline and the court report.</summary>
    public static IServiceCollection AddCaseWork(this IServiceCollection services)
    {
        services.TryAddSingleton<ReadCaseWork>();
        services.TryAddSingleton<CreateCaseTask>();
        services.TryAddSingleton<UpdateCaseTask>();
        services.TryAddSingleton<WriteCaseNote>();
        services.TryAddSingleton<EditCaseNote>();
        services.TryAddSingleton<ReadCaseTimeline>();
        services.TryAddSingleton<RecordCaseTimelineEntry>();
        services.TryAddSingleton<PrintCourtReport>();
        return services;
    }
}
