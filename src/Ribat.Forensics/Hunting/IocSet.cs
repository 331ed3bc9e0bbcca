using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Hunting;

/// <summary>
/// Indicators to hunt for in logs, held for look-ups that allocate nothing: addresses, digests, host names, URLs and
/// e-mail addresses behind 64-bit fingerprints in one open-addressing table (a fingerprint hit is verified against the
/// stored value unless the fingerprint is the IPv4 address itself), CIDR blocks as sorted intervals per family. A value given more than once keeps every indicator that
/// named it. Immutable once built, so one set serves any number of threads.
/// </summary>
public sealed partial class IocSet
{
    private readonly IocIndicator[] _indicators;

    /// <summary>Each indicator's type, apart from the indicator, so that checking a hit's type reads a byte, not an object.</summary>
    private readonly ObservableType[] _types;
    private readonly int[] _nextSame;
    private readonly UInt128[] _addresses;
    private readonly KeyTable _keys;

    /// <summary>
    /// Every keyed value once, as [family, length, characters…] (an address as its 128 bits in eight characters),
    /// so that verifying a key hit reads one place instead of walking to the indicator's string.
    /// </summary>
    private readonly char[] _text;
    private readonly CidrIntervals _v4Blocks;
    private readonly CidrIntervals _v6Blocks;

    /// <summary>Replaces <see cref="KeyHash"/> for text, so that tests can force fingerprint collisions; null otherwise.</summary>
    private readonly TextFingerprint? _textFingerprint;

    /// <summary>The types a set can hold: the ones a log shows as text.</summary>
    public static IReadOnlyList<ObservableType> SupportedTypes { get; } =
    [
        ObservableType.IPv4, ObservableType.IPv6, ObservableType.Cidr, ObservableType.Domain, ObservableType.Hostname,
        ObservableType.Url, ObservableType.Email, ObservableType.Md5, ObservableType.Sha1, ObservableType.Sha256,
        ObservableType.Sha512,
    ];

    /// <summary>Indicators held, duplicates of a value included.</summary>
    public int Count => _indicators.Length;

    /// <summary>Distinct values held.</summary>
    public int DistinctValues => _keys.Count + _v4Blocks.Count + _v6Blocks.Count;

    internal bool HasHosts { get; }

    internal bool HasSingleLabelHosts { get; }

    internal bool HasUrls { get; }

    internal bool HasEmails { get; }

    internal bool HasDigests { get; }

    internal bool HasAddresses => _keys.Count > 0 || _v4Blocks.Count > 0 || _v6Blocks.Count > 0;

    internal CidrIntervals V4Blocks => _v4Blocks;

    internal CidrIntervals V6Blocks => _v6Blocks;

    /// <summary>
    /// True when <paramref name="canonicalValue"/> is held exactly as that type's value: no subdomain, CIDR or URL-host
    /// semantics (use <see cref="IocMatcher"/> for those). Allocates nothing.
    /// </summary>
    public bool Contains(ObservableType type, ReadOnlySpan<char> canonicalValue)
    {
        var entry = type switch
        {
            ObservableType.IPv4 => IpText.TryParseIPv4(canonicalValue, out var v4) ? FindAddress(v4, isV6: false) : -1,
            ObservableType.IPv6 => IpText.TryParseIPv6(canonicalValue, out var v6) ? FindAddress(v6, isV6: true) : -1,
            ObservableType.Cidr => FindBlock(canonicalValue),
            _ => FamilyOf(type) is { } family ? FindExact(family, canonicalValue) : -1,
        };
        return Holds(entry, type, canonicalValue.Length);
    }

    /// <summary>Whether the chain of indicators starting at <paramref name="entry"/> has one of <paramref name="type"/>.</summary>
    private bool Holds(int entry, ObservableType type, int length)
    {
        if (entry >= 0 && TypeIsFixedByValue(type, length))
        {
            // The key family (and a digest's length) fix the type: no need to read the indicator's type.
            return true;
        }

        for (; entry >= 0; entry = _nextSame[entry])
        {
            if (_types[entry] == type)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TypeIsFixedByValue(ObservableType type, int length) => type switch
    {
        ObservableType.Domain or ObservableType.Hostname => false,
        ObservableType.Md5 => length == 32,
        ObservableType.Sha1 => length == 40,
        ObservableType.Sha256 => length == 64,
        ObservableType.Sha512 => length == 128,
        _ => true,
    };

    internal IocIndicator Indicator(int entry) => _indicators[entry];

    /// <summary>The next indicator with the same value as <paramref name="entry"/>, or -1.</summary>
    internal int NextSame(int entry) => _nextSame[entry];

    /// <summary>The first indicator whose value is exactly <paramref name="value"/> in that family, or -1.</summary>
    internal int FindExact(KeyFamily family, ReadOnlySpan<char> value)
    {
        var key = TextKey(family, value);
        return Verify(_keys.Find(key), family, key, value);
    }

    internal int FindAddress(UInt128 address, bool isV6)
    {
        if (!isV6)
        {
            var key = KeyHash.OfIPv4((uint)address);
            return VerifyIPv4(_keys.Find(key), key);
        }

        var key6 = KeyHash.Of(KeyFamily.Address6, address);
        return Verify(_keys.Find(key6), KeyFamily.Address6, key6, AddressText(ref address));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private ulong TextKey(KeyFamily family, ReadOnlySpan<char> value) =>
        _textFingerprint is null ? KeyHash.Of(family, value) : _textFingerprint(family, value);

    /// <summary>
    /// The entry of the first slot from <paramref name="slot"/> on whose fingerprint is the IPv4 address itself. A text
    /// value's fingerprint can equal an address's by chance; its slot has text, so it is passed over.
    /// </summary>
    private int VerifyIPv4(int slot, ulong key)
    {
        for (; slot >= 0; slot = _keys.Next(key, slot))
        {
            ref readonly var found = ref _keys.At(slot);
            if (found.TextStart == KeyTable.NoText)
            {
                return found.Entry;
            }
        }

        return -1;
    }

    /// <summary>The entry of the first slot from <paramref name="slot"/> on whose stored value is <paramref name="value"/>.</summary>
    private int Verify(int slot, KeyFamily family, ulong key, ReadOnlySpan<char> value)
    {
        for (; slot >= 0; slot = _keys.Next(key, slot))
        {
            ref readonly var found = ref _keys.At(slot);
            if (found.TextStart == KeyTable.NoText)
            {
                continue;
            }

            var text = _text.AsSpan(found.TextStart);
            if (text[0] == (char)family && text[1] == value.Length && text.Slice(2, value.Length).SequenceEqual(value))
            {
                return found.Entry;
            }
        }

        return -1;
    }

    /// <summary>An address's 128 bits seen as eight characters, the form it has in the text arena.</summary>
    private static ReadOnlySpan<char> AddressText(ref UInt128 address) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<UInt128, char>(new ReadOnlySpan<UInt128>(ref address));

    private int FindBlock(ReadOnlySpan<char> cidr)
    {
        if (!IpText.TryParseCidr(cidr, out var first, out var last, out var isV6))
        {
            return -1;
        }

        var blocks = isV6 ? _v6Blocks : _v4Blocks;
        for (var block = blocks.Innermost(first); block >= 0; block = blocks.Parent(block))
        {
            var entry = blocks.EntryOf(block);
            if (_addresses[entry] == first && blocks.LastOf(block) == last)
            {
                return entry;
            }
        }

        return -1;
    }

    internal static KeyFamily? FamilyOf(ObservableType type) => type switch
    {
        ObservableType.Domain or ObservableType.Hostname => KeyFamily.Host,
        ObservableType.Url => KeyFamily.Url,
        ObservableType.Email => KeyFamily.Email,
        ObservableType.Md5 or ObservableType.Sha1 or ObservableType.Sha256 or ObservableType.Sha512 => KeyFamily.Digest,
        _ => null,
    };
}
