using System.Globalization;
using Ribat.Stix.Identifiers;

namespace Ribat.Core.Indicators;

/// <summary>
/// The STIX 2.1 id of the cyber-observable a Ribat value is, for the types STIX has an observable for: a UUIDv5 of the
/// observable's contributing property, as the specification derives it. The value is already canonical. Correlation
/// keys are taken from these ids (<see cref="CorrelationKeys.Key"/>), so an observable is found by its id through the
/// index that finds its value.
/// </summary>
public static class ObservableIds
{
    /// <summary>The STIX name of each hash type's algorithm, as the <c>hashes</c> of a <c>file</c> spell it.</summary>
    internal static IReadOnlyDictionary<string, string> HashNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["md5"] = "MD5",
        ["sha1"] = "SHA-1",
        ["sha256"] = "SHA-256",
        ["sha512"] = "SHA-512",
        ["ssdeep"] = "SSDEEP",
    };

    /// <summary>The STIX observable type a Ribat type is; null for a type STIX has none for (wallets, IBAN, phone, TLS fingerprints, rules).</summary>
    public static string? ObjectType(string type, string value) => type switch
    {
        "ipv4" => "ipv4-addr",
        "ipv6" => "ipv6-addr",
        "cidr" => value.Contains(':') ? "ipv6-addr" : "ipv4-addr",
        "domain" or "hostname" => "domain-name",
        "url" => "url",
        "email" => "email-addr",
        "asn" => "autonomous-system",
        "file-name" or "md5" or "sha1" or "sha256" or "sha512" or "ssdeep" => "file",
        "user-account" => "user-account",
        _ => null,
    };

    /// <summary>The id of the observable <paramref name="value"/> (canonical, of <paramref name="type"/>) is; null when STIX has no observable for the type.</summary>
    public static string? Of(string type, string value)
    {
        var objectType = ObjectType(type, value);
        return objectType switch
        {
            null => null,
            "autonomous-system" => StixIdentifier.OfNumber(objectType, "number", AsnNumber(value)),
            "user-account" => StixIdentifier.OfString(objectType, "account_login", value),
            "file" when HashNames.TryGetValue(type, out var algorithm) => StixIdentifier.OfHash(objectType, algorithm, value),
            "file" => StixIdentifier.OfString(objectType, "name", value),
            _ => StixIdentifier.OfString(objectType, "value", value),
        };
    }

    /// <summary>
    /// The correlation key of an observable id: the first 64 bits of its UUID. Two ids that share them are told apart by
    /// comparing the values, as any two values whose keys collide.
    /// </summary>
    public static bool TryKey(string stixId, out long key)
    {
        key = 0;
        var separator = stixId.IndexOf("--", StringComparison.Ordinal);
        if (separator < 0 || !Guid.TryParseExact(stixId.AsSpan(separator + 2), "D", out var uuid))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        uuid.TryWriteBytes(bytes, bigEndian: true, out _);
        key = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(bytes);
        return true;
    }

    /// <summary>The number of an <c>AS64496</c> or <c>64496</c>; 0 for anything else (the canonicaliser never stores one).</summary>
    internal static long AsnNumber(string value)
    {
        var digits = value.StartsWith("AS", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
    }
}
