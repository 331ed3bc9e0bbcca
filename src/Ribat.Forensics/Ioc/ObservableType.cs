namespace Ribat.Forensics.Ioc;

/// <summary>The kinds of observable the IOC library understands. The numeric values are not stable; the spellings are.</summary>
public enum ObservableType
{
    IPv4,
    IPv6,
    Cidr,
    Domain,
    Hostname,
    Url,
    Email,
    Md5,
    Sha1,
    Sha256,
    Sha512,
    Ssdeep,
    Asn,
    FileName,
    BitcoinAddress,
    EthereumAddress,
    TronAddress,
    Iban,
    Phone,
    UserAccount,
    Ja3,
    Ja4,
    LitecoinAddress,
    MoneroAddress,
}

/// <summary>Stable lower-case spellings: these go into storage, exports and the API, so they never change.</summary>
public static class ObservableTypeNames
{
    private static readonly string[] Names =
    [
        "ipv4", "ipv6", "cidr", "domain", "hostname", "url", "email", "md5", "sha1", "sha256", "sha512", "ssdeep",
        "asn", "file-name", "btc-address", "eth-address", "tron-address", "iban", "phone", "user-account", "ja3", "ja4",
        "ltc-address", "xmr-address",
    ];

    private static readonly Dictionary<string, ObservableType> ByName = BuildIndex();

    public static IReadOnlyList<ObservableType> All { get; } = Enum.GetValues<ObservableType>();

    public static string ToName(this ObservableType type) => Names[(int)type];

    public static bool TryParse(string? name, out ObservableType type) =>
        ByName.TryGetValue(name ?? string.Empty, out type);

    private static Dictionary<string, ObservableType> BuildIndex()
    {
        var index = new Dictionary<string, ObservableType>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in Enum.GetValues<ObservableType>())
        {
            index.Add(Names[(int)type], type);
        }

        return index;
    }
}
