using System.Collections.Frozen;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>How one indicator is written as a MISP attribute, and the object it needs when MISP has no type for it.</summary>
internal readonly record struct MispWriteType(string Type, string Value, string Category, string? ObjectName = null, string? Relation = null, string? ContextRelation = null, string? ContextValue = null);

/// <summary>
/// The MISP attribute type for each observable type. MISP has no attribute type for Ethereum or Tron addresses, JA4
/// fingerprints or accounts on other platforms; those are written as <c>text</c> inside the object template made for
/// them (<c>coin-address</c>, <c>ja4-plus</c>, <c>user-account</c>), which the reader understands again.
/// Categories follow MISP's <c>category_type_mappings</c>: an indicator's own category is kept when MISP allows it
/// for the written type, otherwise the type's usual category is used (MISP refuses the pair otherwise).
/// </summary>
internal static class MispWriteTypes
{
    public const string CoinAddress = "coin-address";
    public const string Ja4Plus = "ja4-plus";
    public const string UserAccount = "user-account";

    private const string Network = "Network activity";
    private const string Delivery = "Payload delivery";
    private const string Financial = "Financial fraud";
    private const string Social = "Social network";

    private static readonly FrozenDictionary<string, string[]> AllowedCategories = new Dictionary<string, string[]>
    {
        ["ip-dst"] = ["External analysis", Network, Delivery],
        ["domain"] = ["External analysis", Network, Delivery],
        ["hostname"] = ["External analysis", Network, Delivery],
        ["domain|ip"] = ["External analysis", Network],
        ["url"] = ["External analysis", Network, Delivery],
        ["AS"] = ["External analysis", Network, Delivery],
        ["ja3-fingerprint-md5"] = ["External analysis", Network, Delivery],
        ["email"] = ["Attribution", Network, Delivery, "Person", Social],
        ["md5"] = ["Artifacts dropped", "External analysis", Delivery, "Payload installation"],
        ["sha1"] = ["Artifacts dropped", "External analysis", Delivery, "Payload installation"],
        ["sha256"] = ["Artifacts dropped", "External analysis", Delivery, "Payload installation"],
        ["sha512"] = ["Artifacts dropped", Delivery, "Payload installation"],
        ["ssdeep"] = ["Artifacts dropped", Delivery, "Payload installation"],
        ["filename"] = ["Artifacts dropped", "External analysis", Delivery, "Payload installation", "Persistence mechanism"],
        ["filename|md5"] = ["Artifacts dropped", "External analysis", Delivery, "Payload installation"],
        ["filename|sha1"] = ["Artifacts dropped", "External analysis", Delivery, "Payload installation"],
        ["filename|sha256"] = ["Artifacts dropped", "External analysis", Delivery, "Payload installation"],
        ["filename|sha512"] = ["Artifacts dropped", Delivery, "Payload installation"],
        ["filename|ssdeep"] = ["Artifacts dropped", Delivery, "Payload installation"],
        ["btc"] = [Financial],
        ["iban"] = [Financial],
        ["phone-number"] = [Financial, "Other", "Person"],
        ["github-username"] = [Social],
        ["twitter-id"] = [Social],
        ["jabber-id"] = [Social],
        ["text"] =
        [
            "Antivirus detection", "Artifacts dropped", "Attribution", "External analysis", Financial, "Internal reference",
            Network, "Other", Delivery, "Payload installation", "Payload type", "Persistence mechanism", "Person", Social,
            "Support Tool",
        ],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>MISP's meta-category and template uuid for the object templates Ribat writes (misp-objects).</summary>
    public static (string MetaCategory, string? TemplateUuid) Template(string objectName) => objectName switch
    {
        "file" => ("file", "688c46fb-5edb-40a3-8273-1af7923e2215"),
        "domain-ip" => ("network", "43b3b146-77eb-4931-b4cc-b66c60f28734"),
        "url" => ("network", "60efb77b-40b5-4c46-871b-ed1ed999fce5"),
        CoinAddress => ("financial", "d0e6997e-78da-4815-a6a1-cfc1c1cb8a46"),
        UserAccount => ("misc", "49606b06-22f0-4ac8-8eee-2f12ad46f3d3"),
        Ja4Plus => ("network", "2c15c75e-e7db-4b62-8d17-633e7571818f"),
        _ => ("misc", null),
    };

    public static MispWriteType For(ExchangeIndicator indicator) => indicator.Type switch
    {
        ObservableType.IPv4 or ObservableType.IPv6 or ObservableType.Cidr => Plain("ip-dst", indicator, Network),
        ObservableType.Domain => Plain("domain", indicator, Network),
        ObservableType.Hostname => Plain("hostname", indicator, Network),
        ObservableType.Url => Plain("url", indicator, Network),
        ObservableType.Email => Plain("email", indicator, Delivery),
        ObservableType.Md5 => Plain("md5", indicator, Delivery),
        ObservableType.Sha1 => Plain("sha1", indicator, Delivery),
        ObservableType.Sha256 => Plain("sha256", indicator, Delivery),
        ObservableType.Sha512 => Plain("sha512", indicator, Delivery),
        ObservableType.Ssdeep => Plain("ssdeep", indicator, Delivery),
        ObservableType.Asn => Plain("AS", indicator, Network),
        ObservableType.FileName => Plain("filename", indicator, Delivery),
        ObservableType.BitcoinAddress => Plain("btc", indicator, Financial),
        ObservableType.Iban => Plain("iban", indicator, Financial),
        ObservableType.Phone => Plain("phone-number", indicator, "Other"),
        ObservableType.Ja3 => Plain("ja3-fingerprint-md5", indicator, Network),
        ObservableType.EthereumAddress => InObject("text", indicator, Financial, CoinAddress, "address-crypto", "symbol", "ETH"),
        ObservableType.TronAddress => InObject("text", indicator, Financial, CoinAddress, "address-crypto", "symbol", "TRX"),
        ObservableType.LitecoinAddress => InObject("text", indicator, Financial, CoinAddress, "address-crypto", "symbol", "LTC"),
        ObservableType.MoneroAddress => InObject("text", indicator, Financial, CoinAddress, "address-crypto", "symbol", "XMR"),
        ObservableType.Ja4 => InObject("text", indicator, Network, Ja4Plus, "ja4-fingerprint", "ja4-type", "JA4"),
        ObservableType.UserAccount => Account(indicator),
        _ => Plain("text", indicator, "Other"),
    };

    public static string Category(string mispType, string? wanted, string fallback) =>
        wanted is not null && AllowedCategories.TryGetValue(mispType, out var allowed) && Array.IndexOf(allowed, wanted) >= 0
            ? wanted
            : fallback;

    private static MispWriteType Plain(string type, ExchangeIndicator indicator, string category) =>
        new(type, indicator.Value, Category(type, indicator.Category, category));

    private static MispWriteType InObject(string type, ExchangeIndicator indicator, string category, string objectName, string relation, string? contextRelation, string? contextValue) =>
        new(type, indicator.Value, Category(type, indicator.Category, category), objectName, relation, contextRelation, contextValue);

    /// <summary>GitHub, Twitter and Jabber handles have MISP types; any other account goes into a user-account object.</summary>
    private static MispWriteType Account(ExchangeIndicator indicator)
    {
        var colon = indicator.Value.IndexOf(':');
        var platform = colon < 0 ? null : indicator.Value[..colon];
        var handle = colon < 0 ? indicator.Value : indicator.Value[(colon + 1)..];
        var type = platform switch
        {
            "github" => "github-username",
            "twitter" => "twitter-id",
            "jabber" => "jabber-id",
            _ => null,
        };
        return type is null
            ? new MispWriteType("text", handle, Category("text", indicator.Category, Social), UserAccount, "username", platform is null ? null : "account-type", platform)
            : new MispWriteType(type, handle, Social);
    }
}
