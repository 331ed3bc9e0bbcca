using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.Federation;

public static class FederationServices
{
    /// <summary>The STIX object store, STIX import and export.</summary>
    public static IServiceCollection AddFederation(this IServiceCollection services)
    {
        services.TryAddSingleton<StixIntake>();
        services.TryAddSingleton<ImportStix>();
        services.TryAddSingleton<ExportStix>();
        services.TryAddSingleton<StixCollections>();
        services.TryAddSingleton<CollectionObjects>();
        services.TryAddSingleton<AddCollectionObjects>();
        return services;
    }
}
