using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ribat.Core.Evidence;

namespace Ribat.Core.Cases;

public static class CaseServices
{
    /// <summary>
    /// Cases and evidence. The evidence store's directory comes from <see cref="EvidenceStoreOptions"/>, which the
    /// host sets from the data directory; it is checked when the first evidence use case is built.
    /// </summary>
    public static IServiceCollection AddCases(this IServiceCollection services)
    {
        services.AddOptions<EvidenceStoreOptions>()
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory) && Path.IsPathFullyQualified(o.Directory), "The evidence store needs a full directory path.")
            .ValidateOnStart();
        services.TryAddSingleton<ContentStore>();
        services.TryAddSingleton<ReadCases>();
        services.TryAddSingleton<OpenCase>();
        services.TryAddSingleton<UpdateCase>();
        services.TryAddSingleton<ChangeCaseStatus>();
        services.TryAddSingleton<DeleteCase>();
        services.TryAddSingleton<ReadEvidence>();
        services.TryAddSingleton<AcquireEvidence>();
        services.TryAddSingleton<RecordCustody>();
        services.TryAddSingleton<AcknowledgeTransfer>();
        services.TryAddSingleton<VerifyEvidence>();
        services.TryAddSingleton<Findings.AnalyseEvidence>();
        services.TryAddSingleton<Findings.ReadFindings>();
        services.TryAddSingleton<Findings.ServerYara>();
        services.TryAddSingleton<Prosecution.ExportPackage>();
        return services;
    }
}
