using System.IO.Hashing;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ribat.Forensics.Ioc;

namespace Ribat.Core.Indicators;

/// <summary>
/// How a value is found again. Values are indexed by a 64-bit key (one B-tree probe, whatever the store's
/// size), addresses also by their 16 bytes (networks contain addresses), names also by their registered
/// domain. There is no pairwise correlation table: correlation is a look-up, so it grows with the answer,
/// not with the store.
/// </summary>
public static class CorrelationKeys
{
    /// <summary>
    /// Types whose values correlate with each other: the same name typed once as a domain and once as a host
    /// name is one value. Everything else correlates within its own type only (an MD5 and a JA3 may share
    /// their hex, never their meaning).
    /// </summary>
    public static string Family(string type) => type switch
    {
        "domain" or "hostname" => "host",
        _ => type,
    };

    /// <summary>
    /// The key a canonical value is indexed by. For a type STIX has an observable for, the first 64 bits of the
    /// observable's id (<see cref="ObservableIds"/>): the value index then also finds a local observable by its id, and
    /// a domain and a host name of the same name (one <c>domain-name</c>) share it. For the others (wallets, IBAN,
    /// phone numbers, TLS fingerprints, rules) a hash of the type's family and the value.
    /// </summary>
    public static long Key(string type, string value)
    {
        if (ObservableIds.Of(type, value) is { } id && ObservableIds.TryKey(id, out var key))
        {
            return key;
        }

        var family = Family(type);
        var bytes = Encoding.UTF8.GetBytes(family + "\n" + value);
        return unchecked((long)XxHash3.HashToUInt64(bytes));
    }

    /// <summary>
    /// The <see cref="Indicator.DuplicateKey"/> of a value recorded by <paramref name="owner"/>, in <paramref name="report"/>
    /// or standalone. The high 20 bits come from the owner and the report, the low 44 from the type and value key, so the
    /// rows of one report (and the standalone rows of one owner) sit together in the index: recording a batch writes into
    /// a few neighbouring index pages instead of one page in every part of the index, and a new report's rows are
    /// appended. A match on the key is only a candidate; the caller compares the columns it stands for.
    /// </summary>
    public static long DuplicateKey(Guid owner, Guid? report, string type, long valueKey)
    {
        Span<byte> scope = stackalloc byte[32];
        owner.TryWriteBytes(scope);
        (report ?? Guid.Empty).TryWriteBytes(scope[16..]);
        var high = XxHash3.HashToUInt64(scope) >> DuplicateValueBits << DuplicateValueBits;
        return unchecked((long)high) | DuplicateValueBitsOf(type, valueKey);
    }

    /// <summary>
    /// <paramref name="duplicateKey"/> with its value part taken from <paramref name="valueKey"/> (a new key for the same
    /// value): the owner's and report's part is kept as it was, as the report the row was recorded in may have changed.
    /// </summary>
    public static long WithValueKey(long duplicateKey, string type, long valueKey) =>
        duplicateKey >> DuplicateValueBits << DuplicateValueBits | DuplicateValueBitsOf(type, valueKey);

    private const int DuplicateValueBits = 44;

    private static long DuplicateValueBitsOf(string type, long valueKey)
    {
        Span<byte> value = stackalloc byte[8 + 24];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(value, valueKey);
        var length = 8 + Encoding.ASCII.GetBytes(type.AsSpan(0, Math.Min(type.Length, 24)), value[8..]);
        return unchecked((long)(XxHash3.HashToUInt64(value[..length]) & ((1UL << DuplicateValueBits) - 1)));
    }

    /// <summary>32 hex digits for an address or a network's first address (IPv4 mapped into IPv6); null for other types.</summary>
    public static string? Address(string type, string value)
    {
        var text = type == "cidr" ? value[..value.IndexOf('/')] : value;
        if (type is not ("ipv4" or "ipv6" or "cidr") || !IPAddress.TryParse(text, out var address))
        {
            return null;
        }

        return Hex((address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6() : address).GetAddressBytes());
    }

    /// <summary>The registered domain of a name-bearing value, for "same organisation on the internet" matches.</summary>
    public static string? RegisteredDomain(Canonical value) => RegisteredDomains.Of(value);

    /// <summary>
    /// The keys of every network that could contain <paramref name="address"/> (each prefix length from the
    /// widest to the address itself): a containment look-up is then a fixed number of index probes.
    /// </summary>
    public static IReadOnlyList<long> ContainingNetworkKeys(IPAddress address, int narrowestPrefix)
    {
        var bytes = address.GetAddressBytes();
        var bits = bytes.Length * 8;
        var keys = new List<long>(bits + 1);
        for (var prefix = 0; prefix <= Math.Min(narrowestPrefix, bits); prefix++)
        {
            var network = (byte[])bytes.Clone();
            for (var bit = prefix; bit < bits; bit++)
            {
                network[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            }

            keys.Add(Key("cidr", $"{new IPAddress(network)}/{prefix}"));
        }

        return keys;
    }

    /// <summary>The first and last address (as <see cref="Address"/> spells them) of a canonical network <c>a.b.c.d/n</c> or <c>x::/n</c>.</summary>
    public static (string First, string Last) Range(string cidr)
    {
        var slash = cidr.IndexOf('/');
        var address = IPAddress.Parse(cidr[..slash]);
        var prefix = int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        var first = (v4 ? address.MapToIPv6() : address).GetAddressBytes();
        var last = (byte[])first.Clone();
        for (var bit = (v4 ? 96 : 0) + prefix; bit < 128; bit++)
        {
            last[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return (Hex(first), Hex(last));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
