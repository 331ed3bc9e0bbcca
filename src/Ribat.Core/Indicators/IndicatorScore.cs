namespace Ribat.Core.Indicators;

/// <summary>
/// How much an indicator is still worth: its confidence, halved every half-life of its type since it was last
/// seen (or valid from, or recorded). Addresses go stale in weeks, names in months; digests and rules do not
/// decay. A confirmed false positive or an indicator past its validity scores zero.
/// </summary>
public static class IndicatorScore
{
    private static readonly Dictionary<string, double> HalfLifeDays = new(StringComparer.Ordinal)
    {
        ["ipv4"] = 30,
        ["ipv6"] = 30,
        ["cidr"] = 60,
        ["url"] = 30,
        ["domain"] = 90,
        ["hostname"] = 60,
        ["email"] = 180,
        ["asn"] = 365,
        ["phone"] = 180,
        ["user-account"] = 180,
        ["btc-address"] = 365,
        ["eth-address"] = 365,
        ["tron-address"] = 365,
        ["ltc-address"] = 365,
        ["xmr-address"] = 365,
        ["iban"] = 365,
        ["ja3"] = 180,
        ["ja4"] = 180,
    };

    /// <summary>The half-life of <paramref name="type"/> in days, or null when its value does not decay.</summary>
    public static double? HalfLife(string type) => HalfLifeDays.TryGetValue(type, out var days) ? days : null;

    public static int Of(Indicator indicator, DateTimeOffset now)
    {
        if (indicator.FalsePositive || indicator.ValidUntil is { } until && until <= now || indicator.ValidFrom is { } from && from > now)
        {
            return 0;
        }

        if (HalfLife(indicator.Type) is not { } halfLife)
        {
            return indicator.Confidence;
        }

        var since = indicator.LastSeen ?? indicator.ValidFrom ?? indicator.CreatedAt;
        var ageDays = Math.Max(0, (now - since).TotalDays);
        return (int)Math.Round(indicator.Confidence * Math.Pow(0.5, ageDays / halfLife));
    }
}
