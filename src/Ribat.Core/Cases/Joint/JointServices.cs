using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ribat.Core.Federation.Sync;

namespace Ribat.Core.Cases.Joint;

public static class JointServices
{
    /// <summary>Joint investigations with organisations on partner nodes: the team's entries, the views, and what partners send of them.</summary>
    public static IServiceCollection AddJointInvestigations(this IServiceCollection services)
    {
        services.TryAddSingleton<ReadJointInvestigations>();
        services.TryAddSingleton<WriteJointEntry>();
        services.AddSingleton<IPartnerObjects, JointCaseObjects>();
        return services;
    }
}
