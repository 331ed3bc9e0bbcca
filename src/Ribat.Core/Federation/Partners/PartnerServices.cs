using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.Federation.Partners;

public static class PartnerServices
{
    /// <summary>Partner administration, inbound partner authentication, the outbound credential store, sync cursors and delivery records.</summary>
    public static IServiceCollection AddPartners(this IServiceCollection services)
    {
        services.TryAddSingleton<PartnerCredentials>();
        services.TryAddSingleton<AddPartner>();
        services.TryAddSingleton<ReadPartners>();
        services.TryAddSingleton<UpdatePartner>();
        services.TryAddSingleton<ChangePartnerState>();
        services.TryAddSingleton<RotatePartnerSecret>();
        services.TryAddSingleton<AuthenticatePartner>();
        services.TryAddSingleton<Sync.AdvanceSyncCursor>();
        services.TryAddSingleton<Sync.RecordDeliveries>();
        services.TryAddSingleton<Sync.ReadPartnerSync>();
        return services;
    }
}
