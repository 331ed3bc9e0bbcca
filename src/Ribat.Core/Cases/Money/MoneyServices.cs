using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ribat.Core.Cases.Money;

public static class MoneyServices
{
    /// <summary>Transaction exports of a case read into its money flows.</summary>
    public static IServiceCollection AddCaseMoney(this IServiceCollection services)
    {
        services.AddOptions<MoneyImportOptions>().BindConfiguration(MoneyImportOptions.Section)
            .Validate(o => o.MaxFileBytes > 0 && o.MaxRows > 0 && o.MaxAccounts > 0 && o.MaxFlows > 0 && o.MaxCurrenciesPerFlow is > 0 and <= 100
                    && o.SampleRows is >= 0 and <= 100 && o.MaxListed is > 0 and <= 10_000,
                "The money import's limits must be positive (at most 100 currencies per flow, 100 sample rows and 10,000 listed rows).")
            .ValidateOnStart();
        services.TryAddSingleton<PreviewMoneyImport>();
        services.TryAddSingleton<ImportMoneyFlows>();
        return services;
    }
}
