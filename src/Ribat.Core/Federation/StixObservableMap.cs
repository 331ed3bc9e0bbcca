using System.Globalization;
using Ribat.Core.Indicators;
using Ribat.Stix.Model;
using Ribat.Stix.Patterning;

namespace Ribat.Core.Federation;

/// <summary>
/// Which STIX cyber-observable and pattern path stands for each Ribat indicator type, both ways. Types STIX has no
/// observable for (wallets, IBAN, phone, TLS fingerprints) use Ribat's own <c>x-ribat-*</c> observable types in the
/// pattern. Detection rules are indicators whose <c>pattern_type</c> is the rule language.
/// </summary>
internal static class StixObservableMap
{
    /// <summary>The pattern of a Ribat observable: <c>[type:path = 'value']</c>, with quotes and backslashes escaped.</summary>
    public static string Pattern(string type, string value)
    {
        var (objectType, path) = PathOf(type, value);
        var literal = objectType == "autonomous-system" ? ObservableIds.AsnNumber(value).ToString(CultureInfo.InvariantCulture) : $"'{Escape(value)}'";
        return $"[{objectType}:{path} = {literal}]";
    }

    /// <summary>
    /// The SCO the value is, when STIX has one for its type. Its id derives from the value (<see cref="ObservableIds.Of"/>);
    /// <paramref name="knownId"/>, when given, is that id already derived (a stored version's), which saves deriving it again.
    /// </summary>
    public static StixCyberObservable? Observable(string type, string value, string? knownId = null)
    {
        StixCyberObservable? observable = type switch
        {
            "ipv4" => new IPv4Address { Value = value },
            "ipv6" => new IPv6Address { Value = value },
            "cidr" when value.Contains(':') => new IPv6Address { Value = value },
            "cidr" => new IPv4Address { Value = value },
            "domain" or "hostname" => new DomainName { Value = value },
            "url" => new Url { Value = value },
            "email" => new EmailAddress { Value = value },
            "asn" => new AutonomousSystem { Number = ObservableIds.AsnNumber(value) },
            "file-name" => new StixFile { Name = value },
            "user-account" => new UserAccount { AccountLogin = value },
            _ when ObservableIds.HashNames.TryGetValue(type, out var hash) => new StixFile { Hashes = new Dictionary<string, string> { [hash] = value } },
            _ => null,
        };
        if (observable is not null)
        {
            observable.SpecVersion = StixVersion.Current;
            observable.Id = knownId ?? ObservableIds.Of(type, value)!;
        }

        return observable;
    }

    /// <summary>
    /// The Ribat indicator type and value a pattern stands for, when it is a single equality on a path Ribat knows
    /// (<c>[ipv4-addr:value = '198.51.100.7']</c>); the value still goes through Ribat's canonicaliser.
    /// </summary>
    public static bool TryRead(string pattern, out string type, out string value)
    {
        type = value = string.Empty;
        var parsed = StixPattern.Parse(pattern);
        if (!parsed.IsValid || parsed.Expression is not Observation { Comparison: PropertyComparison { Negated: false, Operator: ComparisonOperator.Equal } comparison })
        {
            return false;
        }

        var path = string.Join('.', comparison.Path.Steps.Select(s => s.Property ?? $"[{s.Index}]"));
        value = comparison.Value.Text;
        var objectType = comparison.Path.ObjectType;
        string? mapped = (objectType, path) switch
        {
            ("ipv4-addr", "value") => value.Contains('/') ? "cidr" : "ipv4",
            ("ipv6-addr", "value") => value.Contains('/') ? "cidr" : "ipv6",
            ("domain-name", "value") => "domain",
            ("url", "value") => "url",
            ("email-addr", "value") => "email",
            ("email-message", "from_ref.value") => "email",
            ("autonomous-system", "number") => "asn",
            ("file", "name") => "file-name",
            ("user-account", "account_login") => "user-account",
            ("file", _) when path.StartsWith("hashes.", StringComparison.Ordinal) => ObservableIds.HashNames.FirstOrDefault(h => string.Equals(h.Value, path[7..].Trim('\''), StringComparison.OrdinalIgnoreCase)).Key,
            _ when objectType.StartsWith("x-ribat-", StringComparison.Ordinal) && path == "value" => objectType[8..],
            _ => null,
        };
        if (mapped is null || !IndicatorTypes.IsKnown(mapped) || RuleTypes.IsRule(mapped))
        {
            return false;
        }

        type = mapped;
        return true;
    }

    private static (string ObjectType, string Path) PathOf(string type, string value) => type switch
    {
        "ipv4" => ("ipv4-addr", "value"),
        "ipv6" => ("ipv6-addr", "value"),
        "cidr" => (value.Contains(':') ? "ipv6-addr" : "ipv4-addr", "value"),
        "domain" or "hostname" => ("domain-name", "value"),
        "url" => ("url", "value"),
        "email" => ("email-addr", "value"),
        "asn" => ("autonomous-system", "number"),
        "file-name" => ("file", "name"),
        "user-account" => ("user-account", "account_login"),
        _ when ObservableIds.HashNames.TryGetValue(type, out var hash) => ("file", $"hashes.'{hash}'"),
        _ => ($"x-ribat-{type}", "value"),
    };

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
}
