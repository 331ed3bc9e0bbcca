using System.Security.Cryptography;
using System.Text;
using Ribat.Forensics.Ioc;

namespace Ribat.Core.Indicators;

/// <summary>The kinds of detection rule stored as indicators, spelled as stored.</summary>
public static class RuleTypes
{
    public const string Sigma = "sigma";
    public const string Yara = "yara";
    public const string Suricata = "suricata";
    public const string Snort = "snort";

    public static IReadOnlyList<string> All { get; } = [Sigma, Yara, Suricata, Snort];

    public static bool IsRule(string type) => All.Contains(type);
}

/// <summary>A value ready to store: canonical, with its correlation keys.</summary>
public sealed record CanonicalIndicator(string Type, string Value, string Display, string? Pattern, long ValueKey, string? Address, string? RegisteredDomain)
{
    public static CanonicalIndicator From(Canonical value) => new(
        value.Type.ToName(),
        value.Value,
        value.Display,
        null,
        CorrelationKeys.Key(value.Type.ToName(), value.Value),
        CorrelationKeys.Address(value.Type.ToName(), value.Value),
        CorrelationKeys.RegisteredDomain(value));

    /// <summary>A rule is found again by the digest of its text with line ends normalised, so equal rules correlate.</summary>
    public static CanonicalIndicator Rule(string type, string text, string title)
    {
        var normalised = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
        return new CanonicalIndicator(type, digest, title, normalised, CorrelationKeys.Key(type, digest), null, null);
    }
}

/// <summary>Every type an indicator may have: the observable types of the IOC library, then the rule kinds.</summary>
public static class IndicatorTypes
{
    public static IReadOnlyList<string> All { get; } = ObservableTypeNames.All.Select(t => t.ToName()).Concat(RuleTypes.All).ToArray();

    public static string Choices => string.Join(", ", All);

    public static bool IsKnown(string? type) => type is not null && All.Contains(type);

    /// <summary>Validates and canonicalises one value of <paramref name="type"/>; the reason names what is wrong.</summary>
    public static bool TryCanonicalise(string? type, string? value, out CanonicalIndicator? indicator, out string reason)
    {
        indicator = null;
        var name = type?.Trim().ToLowerInvariant();
        if (name is not null && RuleTypes.IsRule(name))
        {
            return DetectionContent.TryValidate(name, value, out indicator, out reason);
        }

        if (!ObservableTypeNames.TryParse(name, out var observable))
        {
            reason = string.IsNullOrWhiteSpace(type) ? "the type is missing." : $"'{type}' is not an indicator type ({Choices}).";
            return false;
        }

        if (!Observables.TryCanonicalise(observable, Defang.Refang(value ?? string.Empty), out var canonical, out reason))
        {
            return false;
        }

        indicator = CanonicalIndicator.From(canonical);
        return true;
    }

    /// <summary>
    /// The type a bare value most plausibly has, for a search box or an untyped import: the first type, in a
    /// fixed order from most to least specific, that accepts it.
    /// </summary>
    public static IReadOnlyList<CanonicalIndicator> Guess(string? value)
    {
        var text = Defang.Refang(value ?? string.Empty).Trim();
        var found = new List<CanonicalIndicator>();
        if (text.Length == 0 || text.Length > Observables.MaxInputLength)
        {
            return found;
        }

        foreach (var type in GuessOrder)
        {
            if (Observables.TryCanonicalise(type, text, out var canonical, out _))
            {
                found.Add(CanonicalIndicator.From(canonical));
            }
        }

        return found;
    }

    private static readonly ObservableType[] GuessOrder =
    [
        ObservableType.IPv4, ObservableType.IPv6, ObservableType.Cidr, ObservableType.Url, ObservableType.Email,
        ObservableType.Sha256, ObservableType.Sha1, ObservableType.Md5, ObservableType.Sha512, ObservableType.Ssdeep,
        ObservableType.Ja4, ObservableType.Iban, ObservableType.BitcoinAddress, ObservableType.EthereumAddress,
        ObservableType.TronAddress, ObservableType.LitecoinAddress, ObservableType.MoneroAddress, ObservableType.Asn, ObservableType.Phone, ObservableType.Domain, ObservableType.Hostname,
    ];
}
