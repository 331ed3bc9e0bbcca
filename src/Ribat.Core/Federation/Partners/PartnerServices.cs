using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.Federation.Partners;

public static class PartnerServices
{
    /// <summary>Partner administration, inbound partner authentication and the outbound credential store.</summary>
    public static IServiceCollection AddPartners(this IServiceCollection services)
    {
        services.TryAddSingleton<PartnerCredentials>();
        services.TryAddSingleton<AddPartner>();
        services.TryAddSingleton<ReadPartners>();
        services.TryAddSingleton<UpdatePartner>();
        services.TryAddSingleton<ChangePartnerState>();
        services.TryAddSingleton<RotatePartnerSecret>();
        services.TryAddSingleton<AuthenticatePartner>();
        return services;
    }
}
