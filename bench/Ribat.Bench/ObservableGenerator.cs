using System.Security.Cryptography;

namespace Ribat.Bench;

/// <summary>One observable as an analyst or a feed submits it: a type and the value as written.</summary>
internal readonly record struct Observable(string Type, string Value);

/// <summary>
/// Mixed observables, deterministic from a seed. The value at an index is the same on every run and is
/// regenerated on demand, so the look-up phase can ask for values the store holds (an index already ingested)
/// and for new values (an index from a range never ingested) without keeping millions of strings in memory.
/// <para>
/// The mix follows what CERT feeds and MISP communities share: addresses clustered in a few hosting
/// networks, names under a skewed set of registered domains (a few hold thousands of host names, as dynamic-DNS
/// and free-hosting domains do), URLs, e-mail addresses, digests and wallets. Every tenth index repeats an earlier
/// value, so values recur across batches, organisations and reports as shared intelligence does.
/// </para>
/// </summary>
internal sealed class ObservableGenerator(ulong seed)
{
    /// <summary>Indices from here on are never ingested: their values are "new" to the store.</summary>
    public const long AbsentBase = 1L << 40;

    /// <summary>The types generated, with their share per mille.</summary>
    public static readonly (string Type, int PerMille)[] Types =
    [
        ("ipv4", 200), ("ipv6", 30), ("cidr", 20), ("domain", 120), ("hostname", 100), ("url", 150), ("email", 50),
        ("md5", 100), ("sha1", 60), ("sha256", 130), ("btc-address", 25), ("eth-address", 15),
    ];

    private const int AddressBlocks = 16_384;
    private const int V6Blocks = 4_096;
    private const int RegisteredDomains = 200_000;

    private static readonly string[] Tlds =
    [
        "com", "com", "com", "com", "com", "com", "com", "com", "net", "net", "org", "ru", "info", "xyz", "top", "cn", "de",
        "co.uk", "com.br", "io", "online", "site",
    ];

    private static readonly string[] Syllables =
    [
        "ba", "be", "bi", "bo", "ca", "ce", "co", "da", "de", "di", "do", "fa", "fe", "fi", "ga", "go", "ha", "he", "ka", "ke",
        "ki", "la", "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "ni", "no", "pa", "pe", "pi", "po", "ra", "re", "ri",
        "ro", "sa", "se", "si", "so", "ta", "te", "ti", "to", "va", "ve", "vi", "za", "ze", "zo", "x", "qu", "st", "tr", "pl",
    ];

    private static readonly string[] Words =
    [
        "login", "secure", "update", "account", "verify", "cdn", "mail", "api", "portal", "pay", "bank", "support", "service",
        "cloud", "office", "docs", "drive", "static", "img", "auth",
    ];

    private static readonly string[] Extensions = ["", "", "", ".php", ".html", ".exe", ".zip", ".js", ".apk"];

    /// <summary>The observable at <paramref name="index"/>; every tenth index repeats an earlier one.</summary>
    public Observable At(long index)
    {
        if (index % 10 == 9 && index < AbsentBase)
        {
            var random = new SplitMix(Mix(seed ^ 0x5245504541545321UL, (ulong)index));
            var block = (long)(random.Next() % (ulong)(index / 10 + 1));
            return Fresh(block * 10 + random.Below(9));
        }

        return Fresh(index);
    }

    /// <summary>A value of the type the mix gives <paramref name="index"/>, never a repeat.</summary>
    public Observable Fresh(long index)
    {
        var random = new SplitMix(Mix(seed, (ulong)index));
        var pick = random.Below(1000);
        foreach (var (type, share) in Types)
        {
            if (pick < share)
            {
                return new Observable(type, Value(type, ref random));
            }

            pick -= share;
        }

        throw new InvalidOperationException("The type shares do not add up to 1000.");
    }

    /// <summary>A value of <paramref name="type"/> at <paramref name="index"/> (used for new values of each type).</summary>
    public Observable Fresh(long index, string type)
    {
        var random = new SplitMix(Mix(seed ^ 0x4E4557UL, (ulong)index));
        return new Observable(type, Value(type, ref random));
    }

    private static string Value(string type, ref SplitMix random) => type switch
    {
        "ipv4" => IPv4(ref random),
        "ipv6" => IPv6(ref random),
        "cidr" => Cidr(ref random),
        "domain" => random.Below(2) == 0 ? RegisteredDomain(ref random) : $"{Label(ref random)}.{RegisteredDomain(ref random)}",
        "hostname" => $"{HostLabel(ref random)}.{RegisteredDomain(ref random)}",
        "url" => Url(ref random),
        "email" => $"{Label(ref random)}{(random.Below(3) == 0 ? random.Below(100).ToString() : string.Empty)}@{RegisteredDomain(ref random)}",
        "md5" => Hex(ref random, 32),
        "sha1" => Hex(ref random, 40),
        "sha256" => Hex(ref random, 64),
        "btc-address" => Bitcoin(ref random),
        "eth-address" => "0x" + Hex(ref random, 40),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a generated type."),
    };

    /// <summary>A cubic skew: the first thousandth of <paramref name="count"/> draws a tenth of the values.</summary>
    private static long Skewed(ref SplitMix random, long count) => Math.Min(count - 1, (long)(count * Math.Pow(random.NextDouble(), 3)));

    private static (int A, int B) AddressBlock(long block)
    {
        var h = Mix(0xB10C, (ulong)block);
        var a = 1 + (int)(h % 222);
        if (a is 10 or 100 or 127 or 169 or 172 or 192)
        {
            a++; // stay out of private and special ranges: those are warning-listed, not intelligence
        }

        return (a, (int)((h >> 16) % 256));
    }

    private static string IPv4(ref SplitMix random)
    {
        var (a, b) = AddressBlock(Skewed(ref random, AddressBlocks));
        return $"{a}.{b}.{random.Below(256)}.{1 + random.Below(254)}";
    }

    private static string V6Prefix(long block)
    {
        var h = Mix(0x6B10C, (ulong)block);
        return $"2a0{1 + (int)(h % 15):x}:{(int)((h >> 8) % 0xFFFF) + 1:x}:{(int)((h >> 24) % 0xFFFF) + 1:x}";
    }

    private static string IPv6(ref SplitMix random)
    {
        var prefix = V6Prefix(Skewed(ref random, V6Blocks));
        return $"{prefix}:{random.Below(0xFFFF) + 1:x}:{random.Below(0xFFFF) + 1:x}:{random.Below(0xFFFF) + 1:x}:{random.Below(0xFFFF) + 1:x}:{random.Below(0xFFFF) + 1:x}";
    }

    private static string Cidr(ref SplitMix random)
    {
        var kind = random.Below(100);
        if (kind >= 85)
        {
            return $"{V6Prefix(Skewed(ref random, V6Blocks))}::/48";
        }

        var (a, b) = AddressBlock(Skewed(ref random, AddressBlocks));
        return kind switch
        {
            < 50 => $"{a}.{b}.{random.Below(256)}.0/24",
            < 70 => $"{a}.{b}.0.0/16",
            _ => $"{a}.{b}.{random.Below(256)}.{random.Below(16) * 16}/28",
        };
    }

    private static string Label(ref SplitMix random)
    {
        Span<char> buffer = stackalloc char[24];
        var length = 0;
        var syllables = 2 + random.Below(3);
        for (var i = 0; i < syllables; i++)
        {
            foreach (var c in Syllables[random.Below(Syllables.Length)])
            {
                buffer[length++] = c;
            }
        }

        var text = new string(buffer[..length]);
        return random.Below(6) switch
        {
            0 => $"{text}{random.Below(1000)}",
            1 => $"{text}-{Words[random.Below(Words.Length)]}",
            _ => text,
        };
    }

    private static string HostLabel(ref SplitMix random) =>
        random.Below(2) == 0 ? Words[random.Below(Words.Length)] + (random.Below(3) == 0 ? random.Below(10).ToString() : string.Empty) : Label(ref random);

    /// <summary>A registered domain from a fixed, skewed pool: names recur under the same domain.</summary>
    private static string RegisteredDomain(ref SplitMix random)
    {
        var slot = Skewed(ref random, RegisteredDomains);
        var domain = new SplitMix(Mix(0xD0D0, (ulong)slot));
        return $"{Label(ref domain)}.{Tlds[domain.Below(Tlds.Length)]}";
    }

    private static string Url(ref SplitMix random)
    {
        var host = random.Below(10) switch
        {
            < 6 => $"{HostLabel(ref random)}.{RegisteredDomain(ref random)}",
            < 9 => RegisteredDomain(ref random),
            _ => IPv4(ref random),
        };
        var segments = 1 + random.Below(3);
        var path = string.Empty;
        for (var i = 0; i < segments; i++)
        {
            path += "/" + Label(ref random);
        }

        path += Extensions[random.Below(Extensions.Length)];
        var query = random.Below(10) < 3 ? "?id=" + Hex(ref random, 12) : string.Empty;
        return $"{(random.Below(4) == 0 ? "http" : "https")}://{host}{path}{query}";
    }

    private static string Hex(ref SplitMix random, int digits)
    {
        Span<char> buffer = stackalloc char[128];
        for (var i = 0; i < digits; i += 16)
        {
            var bits = random.Next();
            for (var j = 0; j < 16 && i + j < digits; j++)
            {
                buffer[i + j] = "0123456789abcdef"[(int)(bits & 0xF)];
                bits >>= 4;
            }
        }

        return new string(buffer[..digits]);
    }

    /// <summary>A mainnet pay-to-public-key-hash address with a valid base58check checksum.</summary>
    private static string Bitcoin(ref SplitMix random)
    {
        Span<byte> payload = stackalloc byte[25];
        payload[0] = 0x00;
        for (var i = 1; i < 21; i++)
        {
            payload[i] = (byte)random.Below(256);
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(payload[..21], digest);
        SHA256.HashData(digest, digest);
        digest[..4].CopyTo(payload[21..]);
        return Base58(payload);
    }

    private static string Base58(ReadOnlySpan<byte> bytes)
    {
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var number = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var text = new System.Text.StringBuilder();
        while (number > 0)
        {
            number = System.Numerics.BigInteger.DivRem(number, 58, out var remainder);
            text.Insert(0, alphabet[(int)remainder]);
        }

        for (var i = 0; i < bytes.Length && bytes[i] == 0; i++)
        {
            text.Insert(0, '1');
        }

        return text.ToString();
    }

    public static ulong Mix(ulong a, ulong b)
    {
        var random = new SplitMix(a ^ (b * 0x9E3779B97F4A7C15UL));
        random.Next();
        return random.Next();
    }
}

/// <summary>SplitMix64: small, fast, and the same sequence on every platform.</summary>
internal struct SplitMix(ulong state)
{
    private ulong _state = state;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int Below(int bound) => (int)(Next() % (ulong)bound);

    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
