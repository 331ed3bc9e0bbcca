using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ribat.Core.Federation.Sync;

namespace Ribat.Core.Federation;

public static class FederationServices
{
    /// <summary>The STIX object store, STIX import and export, the partner exchange and the partner sync worker.</summary>
    public static IServiceCollection AddFederation(this IServiceCollection services)
    {
        services.TryAddSingleton<StixIntake>();
        services.TryAddSingleton<ImportStix>();
        services.TryAddSingleton<ExportStix>();
        services.TryAddSingleton<StixCollections>();
        services.TryAddSingleton<CollectionObjects>();
        services.TryAddSingleton<AddCollectionObjects>();
        services.AddOptions<FederationSyncOptions>()
            .Validate(o => o.Interval > TimeSpan.Zero && o.MaxBackoff >= o.Interval && o.PageSize is > 0 and <= 1000 && o.RequestTimeout > TimeSpan.Zero,
                "Federation sync: the interval must be positive, the longest back-off at least the interval, pages 1 to 1000 objects.")
            .ValidateOnStart();
        // Modules that keep partners' objects of their own types register an IPartnerObjects; none is fine.
        services.TryAddSingleton<PartnerObjectHandlers>();
        services.TryAddSingleton<PartnerExchange>();
        services.TryAddSingleton<PartnerHttp>();
        services.TryAddSingleton<INodeSignature, NoNodeSignature>();
        services.TryAddSingleton<SyncPartner>();
        return services;
    }
}
