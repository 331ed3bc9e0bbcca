using System.Collections.Frozen;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>How one part of a MISP value (or of a CSV type cell) becomes an observable.</summary>
internal enum PartKind
{
    /// <summary>A fixed observable type.</summary>
    Observable,

    /// <summary>IPv4, IPv6 or CIDR, decided by the value (MISP <c>ip-dst</c> holds all three).</summary>
    Ip,

    /// <summary>A handle on a known platform: becomes the user account <c>platform:handle</c>.</summary>
    Handle,

    /// <summary>A hex digest whose algorithm follows from its length.</summary>
    Digest,

    /// <summary>Any type, recognised by shape.</summary>
    Shape,

    /// <summary>A part Ribat does not keep and nobody would miss (the port of <c>ip-dst|port</c>).</summary>
    Ignored,

    /// <summary>A part with no observable type (the <c>imphash</c> of <c>filename|imphash</c>); reported as skipped.</summary>
    Unsupported,
}

internal readonly record struct TypePart(PartKind Kind, ObservableType Type = default, string? Name = null)
{
    public static TypePart Of(ObservableType type) => new(PartKind.Observable, type);
}

/// <summary>
/// The MISP attribute types Ribat reads, and the types it writes. Source of the type and category names: MISP's
/// <c>describeTypes.json</c> (PyMISP <c>pymisp/data/describeTypes.json</c>). A type missing here has no observable
/// type and is reported as skipped, never guessed.
/// </summary>
internal static class MispTypes
{
    private static readonly TypePart Ip = new(PartKind.Ip);
    private static readonly TypePart Port = new(PartKind.Ignored, Name: "port");

    /// <summary>Digests MISP pairs with a file name that Ribat has no type for.</summary>
    private static readonly string[] OtherFileDigests =
    [
        "authentihash", "impfuzzy", "imphash", "pehash", "sha224", "sha384", "sha512/224", "sha512/256", "sha3-224",
        "sha3-256", "sha3-384", "sha3-512", "tlsh", "vhash",
    ];

    private static readonly FrozenDictionary<string, TypePart[]> Rules = BuildRules();

    /// <summary>The parts of a MISP type, or <c>false</c> when the type has no observable type at all.</summary>
    public static bool TryGetParts(string mispType, out TypePart[] parts) => Rules.TryGetValue(mispType, out parts!);

    private static FrozenDictionary<string, TypePart[]> BuildRules()
    {
        var rules = new Dictionary<string, TypePart[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["ip-src"] = [Ip],
            ["ip-dst"] = [Ip],
            ["ip-src|port"] = [Ip, Port],
            ["ip-dst|port"] = [Ip, Port],
            ["domain"] = [TypePart.Of(ObservableType.Domain)],
            ["hostname"] = [TypePart.Of(ObservableType.Hostname)],
            ["domain|ip"] = [TypePart.Of(ObservableType.Domain), Ip],
            ["hostname|port"] = [TypePart.Of(ObservableType.Hostname), Port],
            ["url"] = [TypePart.Of(ObservableType.Url)],
            ["uri"] = [TypePart.Of(ObservableType.Url)],
            ["link"] = [TypePart.Of(ObservableType.Url)],
            ["filename"] = [TypePart.Of(ObservableType.FileName)],
            ["malware-sample"] = [TypePart.Of(ObservableType.FileName), TypePart.Of(ObservableType.Md5)],
            ["AS"] = [TypePart.Of(ObservableType.Asn)],
            ["btc"] = [TypePart.Of(ObservableType.BitcoinAddress)],
            ["iban"] = [TypePart.Of(ObservableType.Iban)],
            ["phone-number"] = [TypePart.Of(ObservableType.Phone)],
            ["whois-registrant-phone"] = [TypePart.Of(ObservableType.Phone)],
            ["github-username"] = [new TypePart(PartKind.Handle, Name: "github")],
            ["github-organisation"] = [new TypePart(PartKind.Handle, Name: "github")],
            ["twitter-id"] = [new TypePart(PartKind.Handle, Name: "twitter")],
            ["jabber-id"] = [new TypePart(PartKind.Handle, Name: "jabber")],
            ["ja3-fingerprint-md5"] = [TypePart.Of(ObservableType.Ja3)],
        };

        foreach (var email in new[] { "email", "email-src", "email-dst", "email-reply-to", "target-email", "whois-registrant-email", "dns-soa-email" })
        {
            rules[email] = [TypePart.Of(ObservableType.Email)];
        }

        foreach (var (name, type) in new[] { ("md5", ObservableType.Md5), ("sha1", ObservableType.Sha1), ("sha256", ObservableType.Sha256), ("sha512", ObservableType.Sha512), ("ssdeep", ObservableType.Ssdeep) })
        {
            rules[name] = [TypePart.Of(type)];
            rules["filename|" + name] = [TypePart.Of(ObservableType.FileName), TypePart.Of(type)];
        }

        foreach (var digest in OtherFileDigests)
        {
            rules["filename|" + digest] = [TypePart.Of(ObservableType.FileName), new TypePart(PartKind.Unsupported, Name: digest)];
        }

        return rules.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Canonicalises one part of a value. The reason names the type that was tried.</summary>
    public static bool TryResolve(TypePart part, string value, out Canonical canonical, out string reason)
    {
        switch (part.Kind)
        {
            case PartKind.Observable:
                return Observables.TryCanonicalise(part.Type, value, out canonical, out reason);
            case PartKind.Ip:
                var type = value.Contains('/') ? ObservableType.Cidr : value.Contains(':') ? ObservableType.IPv6 : ObservableType.IPv4;
                return Observables.TryCanonicalise(type, value, out canonical, out reason);
            case PartKind.Handle:
                var handle = value.Trim().TrimStart('@');
                var account = handle.StartsWith(part.Name + ":", StringComparison.OrdinalIgnoreCase) ? handle : part.Name + ":" + handle;
                return Observables.TryCanonicalise(ObservableType.UserAccount, account, out canonical, out reason);
            case PartKind.Digest:
                return TryDigest(value.Trim(), out canonical, out reason);
            case PartKind.Shape:
                return ShapeDetector.TryDetect(value, out canonical, out reason);
            default:
                canonical = default;
                reason = $"'{part.Name}' has no Ribat observable type.";
                return false;
        }
    }

    private static bool TryDigest(string value, out Canonical canonical, out string reason)
    {
        ObservableType? type = value.Length switch
        {
            32 => ObservableType.Md5,
            40 => ObservableType.Sha1,
            64 => ObservableType.Sha256,
            128 => ObservableType.Sha512,
            _ => null,
        };
        if (type is { } t)
        {
            return Observables.TryCanonicalise(t, value, out canonical, out reason);
        }

        canonical = default;
        reason = $"not a digest: {value.Length} characters, where MD5, SHA-1, SHA-256 and SHA-512 have 32, 40, 64 and 128 hex digits.";
        return false;
    }
}
