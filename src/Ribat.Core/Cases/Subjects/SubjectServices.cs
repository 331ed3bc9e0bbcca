using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.Cases.Subjects;

public static class SubjectServices
{
    /// <summary>Subjects, relationships and the link graph of cases.</summary>
    public static IServiceCollection AddCaseSubjects(this IServiceCollection services)
    {
        services.AddOptions<CaseGraphOptions>()
            .Validate(o => o.MaxNodes is > 0 and <= 100_000 && o.MaxDepth is > 0 and <= 10 && o.MaxCorrelatedSubjects >= 0 && o.MaxIndicatorsPerValue >= 0,
                "The case graph's limits must be positive (nodes up to 100,000, depth up to 10).")
            .ValidateOnStart();
        services.TryAddSingleton<ReadSubjects>();
        services.TryAddSingleton<AddSubject>();
        services.TryAddSingleton<UpdateSubject>();
        services.TryAddSingleton<RemoveSubject>();
        services.TryAddSingleton<LinkSubjects>();
        services.TryAddSingleton<UnlinkSubjects>();
        services.TryAddSingleton<UpdateRelationship>();
        services.TryAddSingleton<SubjectsFromFindings>();
        services.TryAddSingleton<ReadCaseGraph>();
        return services;
    }
}
