using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ribat.Core.Federation.Sync;

namespace Ribat.Core.Cooperation;

public static class CooperationServices
{
    /// <summary>Cooperation requests, their clocks, the 24/7 directory, the legislation catalogue and the provider knowledge base.</summary>
    public static IServiceCollection AddCooperation(this IServiceCollection services)
    {
        services.AddOptions<CooperationOptions>()
            .Validate(o => o.MaxAttachmentBytes > 0 && o.SweepInterval > TimeSpan.Zero, "Cooperation limits must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<ReadRequests>();
        services.TryAddSingleton<PrintRequestForm>();
        services.TryAddSingleton<DraftRequest>();
        services.TryAddSingleton<UpdateDraft>();
        services.TryAddSingleton<DeleteDraft>();
        services.TryAddSingleton<ChangeRequestStatus>();
        services.TryAddSingleton<ExtendPreservation>();
        services.TryAddSingleton<AddAttachment>();
        services.TryAddSingleton<ReadClockBoard>();
        services.TryAddSingleton<SweepClocks>();
        services.TryAddSingleton<ContactDirectory>();
        services.TryAddSingleton<Legislation>();
        services.TryAddSingleton<ProviderKnowledge>();
        services.TryAddSingleton<ProviderExchange>();
        services.TryAddSingleton<ReadCooperationMetrics>();

        // Requests between this node's organisations and those of partner nodes arrive through the partner sync.
        services.AddSingleton<IPartnerObjects, PartnerRequests>();
        services.AddSingleton<IPartnerObjects, PartnerDirectory>();
        services.AddSingleton<IPartnerObjects, PartnerProviders>();
        return services;
    }
}
