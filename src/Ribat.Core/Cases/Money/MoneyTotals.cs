using System.Text.Json;
using Ribat.Forensics.Finance;

namespace Ribat.Core.Cases.Money;

/// <summary>A flow's totals per currency as stored (JSON, amounts as exact decimals) and as shown.</summary>
internal static class MoneyTotals
{
    /// <summary>Room for the totals of <see cref="MoneyImportOptions.MaxCurrenciesPerFlow"/> currencies and more.</summary>
    public const int MaxJson = 16_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Write(IReadOnlyList<CurrencyTotal> totals) =>
        JsonSerializer.Serialize(totals.Select(t => new MoneyTotalDto(t.Currency, t.Amount, t.Count)).ToList(), Json);

    public static List<MoneyTotalDto> Read(string json) => JsonSerializer.Deserialize<List<MoneyTotalDto>>(json, Json) ?? [];

    /// <summary>Adds totals of one currency together, keeping the currencies in order.</summary>
    public static List<MoneyTotalDto> Sum(IEnumerable<MoneyTotalDto> totals) => totals
        .GroupBy(t => t.Currency, StringComparer.Ordinal)
        .Select(g => new MoneyTotalDto(g.Key, g.Sum(t => t.Amount), g.Sum(t => t.Count)))
        .OrderBy(t => t.Currency, StringComparer.Ordinal)
        .ToList();

    /// <summary>"0.75 BTC + 1,200.5 EUR · 3×": the totals of an edge, in the invariant culture so every reader sees the same figures.</summary>
    public static string Label(IReadOnlyList<MoneyTotalDto> totals, int count) =>
        string.Join(" + ", totals.Select(t => $"{t.Amount.ToString("#,0.##################", System.Globalization.CultureInfo.InvariantCulture)} {t.Currency}")) + $" · {count}×";
}
