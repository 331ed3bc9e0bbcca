using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.Incidents;

public static class IncidentServices
{
    /// <summary>Incidents: their life cycle, participants, timeline, tasks, situation reports and links.</summary>
    public static IServiceCollection AddIncidents(this IServiceCollection services)
    {
        services.TryAddSingleton<ReadIncidents>();
        services.TryAddSingleton<OpenIncident>();
        services.TryAddSingleton<UpdateIncident>();
        services.TryAddSingleton<ChangeIncidentStatus>();
        services.TryAddSingleton<AcknowledgeIncident>();
        services.TryAddSingleton<ReadIncidentWork>();
        services.TryAddSingleton<RecordTimelineEntry>();
        services.TryAddSingleton<EditTimelineEntry>();
        services.TryAddSingleton<AssignTask>();
        services.TryAddSingleton<UpdateTask>();
        services.TryAddSingleton<DraftSitrep>();
        services.TryAddSingleton<EditSitrep>();
        services.TryAddSingleton<PublishSitrep>();
        services.TryAddSingleton<LinkToIncident>();
        services.TryAddSingleton<UnlinkFromIncident>();
        services.TryAddSingleton<ReadMetrics>();
        services.AddSingleton<Federation.Sync.IPartnerObjects, PartnerIncidents>();
        return services;
    }
}
