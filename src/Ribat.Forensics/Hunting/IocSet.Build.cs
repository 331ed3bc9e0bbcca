using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Hunting;

public sealed partial class IocSet
{
    private IocSet(List<IocIndicator> indicators, List<Placed> placed, TextFingerprint? textFingerprint)
    {
        _textFingerprint = textFingerprint;
        _indicators = [.. indicators];
        _types = new ObservableType[indicators.Count];
        _nextSame = new int[indicators.Count];
        _addresses = new UInt128[indicators.Count];
        var keyed = 0;
        long textLength = 0;
        for (var i = 0; i < placed.Count; i++)
        {
            if (placed[i].Family != 0)
            {
                keyed++;
                textLength += placed[i].Family switch
                {
                    KeyFamily.Address => 0,
                    KeyFamily.Address6 => 2 + 8,
                    _ => 2 + indicators[i].Value.Length,
                };
            }
        }

        _keys = new KeyTable(keyed);
        _text = new char[checked((int)textLength)];
        var v4 = new List<(UInt128, UInt128, int)>();
        var v6 = new List<(UInt128, UInt128, int)>();
        var blocks = new Dictionary<(UInt128, UInt128, bool), int>();
        var lastOfChain = new Dictionary<int, int>();
        var textEnd = 0;
        for (var entry = 0; entry < placed.Count; entry++)
        {
            _nextSame[entry] = -1;
            _types[entry] = indicators[entry].Type;
            var p = placed[entry];
            _addresses[entry] = p.First;
            var first = p.Family == 0 ? BlockOf(blocks, p, entry, v4, v6) : KeyOf(p, entry, ref textEnd);
            if (first != entry)
            {
                // The same value again: chain it behind the last indicator holding that value.
                var tail = lastOfChain.GetValueOrDefault(first, first);
                _nextSame[tail] = entry;
                lastOfChain[first] = entry;
            }
        }

        _v4Blocks = new CidrIntervals(v4);
        _v6Blocks = new CidrIntervals(v6);
        foreach (var indicator in indicators)
        {
            HasUrls |= indicator.Type == ObservableType.Url;
            HasEmails |= indicator.Type == ObservableType.Email;
            HasDigests |= FamilyOf(indicator.Type) == KeyFamily.Digest;
            HasHosts |= FamilyOf(indicator.Type) == KeyFamily.Host;
            HasSingleLabelHosts |= FamilyOf(indicator.Type) == KeyFamily.Host && !indicator.Value.Contains('.');
        }
    }

    /// <summary>
    /// Builds a set from indicators already in canonical form (as Ribat's intelligence store holds them). Values
    /// are checked cheaply, not canonicalised again: a value that is not canonical, or of a type logs do not
    /// show, is left out and reported with its 1-based position.
    /// </summary>
    public static IocSetLoad FromIndicators(IEnumerable<IocIndicator> indicators) => FromIndicators(indicators, null);

    /// <summary>As <see cref="FromIndicators(IEnumerable{IocIndicator})"/>, text fingerprinted by <paramref name="textFingerprint"/>.</summary>
    internal static IocSetLoad FromIndicators(IEnumerable<IocIndicator> indicators, TextFingerprint? textFingerprint)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        var kept = new List<IocIndicator>();
        var placed = new List<Placed>();
        var problems = new List<IocSetProblem>();
        long position = 0;
        foreach (var indicator in indicators)
        {
            position++;
            if (indicator?.Value is null)
            {
                problems.Add(new IocSetProblem(position, string.Empty, "no indicator."));
                continue;
            }

            if (!TryPlace(indicator, out var p, out var reason))
            {
                problems.Add(new IocSetProblem(position, indicator.Value, reason));
                continue;
            }

            kept.Add(indicator);
            placed.Add(p);
        }

        return new IocSetLoad(new IocSet(kept, placed, textFingerprint), problems);
    }

    /// <summary>Where one canonical value goes: a key in the table (Family set), or a CIDR block (Family 0).</summary>
    private readonly record struct Placed(KeyFamily Family, UInt128 First, UInt128 Last, bool IsV6);

    private static bool TryPlace(IocIndicator indicator, out Placed placed, out string reason)
    {
        placed = default;
        reason = string.Empty;
        var value = indicator.Value.AsSpan();
        switch (indicator.Type)
        {
            case ObservableType.IPv4 when IpText.TryParseIPv4(value, out var v4):
                placed = new Placed(KeyFamily.Address, v4, v4, false);
                return true;
            case ObservableType.IPv6 when IpText.TryParseIPv6(value, out var v6):
                placed = new Placed(KeyFamily.Address6, v6, v6, true);
                return true;
            case ObservableType.Cidr when IpText.TryParseCidr(value, out var first, out var last, out var isV6):
                placed = new Placed(0, first, last, isV6);
                return true;
        }

        if (FamilyOf(indicator.Type) is not { } family)
        {
            reason = indicator.Type is ObservableType.IPv4 or ObservableType.IPv6 or ObservableType.Cidr
                ? $"not a canonical {indicator.Type.ToName()}."
                : $"{indicator.Type.ToName()} indicators are not matched in logs.";
            return false;
        }

        if (!IsCanonicalShape(indicator.Type, value))
        {
            reason = $"not a canonical {indicator.Type.ToName()}.";
            return false;
        }

        placed = new Placed(family, 0, 0, false);
        return true;
    }

    /// <summary>A cheap test, not a canonicalisation: enough to refuse what could never be found.</summary>
    private static bool IsCanonicalShape(ObservableType type, ReadOnlySpan<char> value) => type switch
    {
        ObservableType.Md5 => IsLowerHex(value, 32),
        ObservableType.Sha1 => IsLowerHex(value, 40),
        ObservableType.Sha256 => IsLowerHex(value, 64),
        ObservableType.Sha512 => IsLowerHex(value, 128),
        ObservableType.Domain or ObservableType.Hostname => !value.ContainsAnyInRange('A', 'Z')
            && HostCanonicaliser.IsValidAsciiName(value, type == ObservableType.Domain, out _),
        ObservableType.Url => value.IndexOf("://") > 0 && value.Length <= Observables.MaxInputLength,
        ObservableType.Email => value.LastIndexOf('@') is > 0 and var at && at < value.Length - 1
            && !value[(at + 1)..].ContainsAnyInRange('A', 'Z') && value.Length <= 320,
        _ => false,
    };

    private static bool IsLowerHex(ReadOnlySpan<char> value, int length) =>
        value.Length == length && !value.ContainsAnyExcept(LowerHex);

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    private int KeyOf(Placed p, int entry, ref int textEnd)
    {
        var isAddress = p.Family is KeyFamily.Address or KeyFamily.Address6;
        var existing = isAddress ? FindAddress(p.First, p.IsV6) : FindExact(p.Family, _indicators[entry].Value);
        if (existing >= 0)
        {
            return existing;
        }

        if (p.Family == KeyFamily.Address)
        {
            _keys.Add(KeyHash.OfIPv4((uint)p.First), entry, KeyTable.NoText);
            return entry;
        }

        var address = p.First;
        var value = isAddress ? AddressText(ref address) : _indicators[entry].Value.AsSpan();
        var key = isAddress ? KeyHash.Of(KeyFamily.Address6, address) : TextKey(p.Family, value);
        _text[textEnd] = (char)p.Family;
        _text[textEnd + 1] = (char)value.Length;
        value.CopyTo(_text.AsSpan(textEnd + 2));
        _keys.Add(key, entry, textEnd);
        textEnd += 2 + value.Length;
        return entry;
    }

    private static int BlockOf(Dictionary<(UInt128, UInt128, bool), int> blocks, Placed p, int entry,
        List<(UInt128, UInt128, int)> v4, List<(UInt128, UInt128, int)> v6)
    {
        if (blocks.TryGetValue((p.First, p.Last, p.IsV6), out var existing))
        {
            return existing;
        }

        blocks.Add((p.First, p.Last, p.IsV6), entry);
        (p.IsV6 ? v6 : v4).Add((p.First, p.Last, entry));
        return entry;
    }
}

/// <summary>A 64-bit fingerprint of a value's text in a key family; never 0.</summary>
internal delegate ulong TextFingerprint(KeyFamily family, ReadOnlySpan<char> value);
