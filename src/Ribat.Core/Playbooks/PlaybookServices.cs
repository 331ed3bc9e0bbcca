using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.Playbooks;

public static class PlaybookServices
{
    /// <summary>Response playbooks and applying them to incidents.</summary>
    public static IServiceCollection AddPlaybooks(this IServiceCollection services)
    {
        services.TryAddSingleton<ReadPlaybooks>();
        services.TryAddSingleton<WritePlaybook>();
        services.TryAddSingleton<ApplyPlaybook>();
        services.AddSingleton<Federation.Sync.IPartnerObjects, PartnerPlaybooks>();
        return services;
    }
}
