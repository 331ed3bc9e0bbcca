using System.Collections.Frozen;

namespace Ribat.Forensics.Ioc;

internal sealed partial class LineScanner
{
    /// <summary>
    /// Extensions that make <c>name.ext</c> a file, not a domain. Extensions that are also busy country TLDs
    /// (.pl, .rs, .md, .sh, .so, .py, .ai) are left out on purpose: a CERT misses a Polish domain more often than it
    /// mistakes a script for one. The gTLDs .zip and .mov are in: in reports they are almost always attachments.
    /// </summary>
    private static readonly FrozenSet<string> FileExtensions = new[]
    {
        "pdf", "doc", "docx", "docm", "dot", "dotm", "xls", "xlsx", "xlsm", "xlsb", "ppt", "pptx", "pptm", "rtf", "odt",
        "txt", "csv", "log", "exe", "dll", "sys", "scr", "cpl", "ocx", "bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js",
        "jse", "wsf", "hta", "jar", "lnk", "iso", "img", "vhd", "vhdx", "msi", "msix", "zip", "rar", "7z", "gz", "tgz",
        "tar", "bz2", "xz", "cab", "png", "jpg", "jpeg", "gif", "bmp", "svg", "ico", "mp3", "mp4", "avi", "mov", "wav",
        "htm", "html", "xml", "json", "yml", "yaml", "ini", "cfg", "conf", "tmp", "dat", "bin", "db", "sqlite", "pyc",
        "php", "asp", "aspx", "jsp", "apk", "dmg", "pkg", "deb", "rpm", "elf", "dylib", "one", "eml", "msg", "pst",
        "evtx", "pcap", "pcapng", "bak", "chm", "iqy", "reg", "inf", "xll", "wll", "lock", "dmp",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private void Classify(string line, int start, int end)
    {
        var token = line.AsSpan(start, end - start);
        if (token[0] == '+')
        {
            return; // phone numbers are found by the line-level scan, which can span spaces
        }

        if (token.Contains('@'))
        {
            if (token[0] == '@')
            {
                ClassifyHandle(line, start, end);
            }
            else
            {
                TryAdd(ObservableType.Email, line, start, end);
            }

            return;
        }

        if (token.Length >= 32 && !token.ContainsAnyExcept(HexDigits))
        {
            ClassifyHex(line, start, end);
            return;
        }

        if (token.Length == 42 && token.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            TryAdd(ObservableType.EthereumAddress, line, start, end);
            return;
        }

        if (token.Length == 36 && token[10] == '_' && token[23] == '_')
        {
            TryAdd(ObservableType.Ja4, line, start, end);
            return;
        }

        if (token.Count(':') == 2 && char.IsAsciiDigit(token[0]) && token[..token.IndexOf(':')].IndexOfAnyExceptInRange('0', '9') < 0
            && TryAdd(ObservableType.Ssdeep, line, start, end))
        {
            return;
        }

        if (ClassifyAddressLike(line, start, end) || ClassifyAsn(line, start, end) || ClassifyIp(line, start, end))
        {
            return;
        }

        ClassifyName(line, start, end);
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly System.Buffers.SearchValues<char> Base58Chars =
        System.Buffers.SearchValues.Create("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz");

    private void ClassifyHex(string line, int start, int end)
    {
        var type = (end - start) switch
        {
            32 => PrecededBy(line, start, "ja3") ? ObservableType.Ja3 : ObservableType.Md5,
            40 => ObservableType.Sha1,
            64 => ObservableType.Sha256,
            128 => ObservableType.Sha512,
            _ => (ObservableType?)null,
        };
        if (type is { } t)
        {
            TryAdd(t, line, start, end);
        }
    }

    private bool ClassifyAddressLike(string line, int start, int end)
    {
        var token = line.AsSpan(start, end - start);
        if (token.Length >= 14 && token.StartsWith("bc1", StringComparison.OrdinalIgnoreCase))
        {
            return TryAdd(ObservableType.BitcoinAddress, line, start, end);
        }

        if (token.Length >= 14 && token.StartsWith("ltc1", StringComparison.OrdinalIgnoreCase))
        {
            return TryAdd(ObservableType.LitecoinAddress, line, start, end);
        }

        if (token.ContainsAnyExcept(Base58Chars))
        {
            return false;
        }

        if (token.Length is CryptoAddressCanonicaliser.MoneroStandardLength or CryptoAddressCanonicaliser.MoneroIntegratedLength)
        {
            return token[0] is '4' or '8' && TryAdd(ObservableType.MoneroAddress, line, start, end);
        }

        if (token.Length is < 25 or > 35)
        {
            return false;
        }

        // A '3' address is P2SH on Bitcoin and (legacy) on Litecoin alike; it is reported as Bitcoin, its usual home.
        return token[0] switch
        {
            '1' or '3' => TryAdd(ObservableType.BitcoinAddress, line, start, end),
            'T' => TryAdd(ObservableType.TronAddress, line, start, end),
            'L' or 'M' => TryAdd(ObservableType.LitecoinAddress, line, start, end),
            _ => false,
        };
    }

    /// <summary>Only upper-case "AS"/"ASN" with digits: "as12" in prose is too often something else.</summary>
    private bool ClassifyAsn(string line, int start, int end)
    {
        var token = line.AsSpan(start, end - start);
        var digits = token.StartsWith("ASN") ? token[3..] : token.StartsWith("AS") ? token[2..] : [];
        return !digits.IsEmpty && digits.IndexOfAnyExceptInRange('0', '9') < 0 && TryAdd(ObservableType.Asn, line, start, end);
    }

    private bool ClassifyIp(string line, int start, int end)
    {
        var token = line.AsSpan(start, end - start);
        var slash = token.IndexOf('/');
        if (slash > 0 && (token.Contains(':') || token.Count('.') == 3))
        {
            return TryAdd(ObservableType.Cidr, line, start, end);
        }

        if (token.Count(':') >= 2)
        {
            return token.ContainsAnyExcept(Ipv6Chars) is false && TryAdd(ObservableType.IPv6, line, start, end);
        }

        if (token.IndexOfAnyExcept(DigitsAndDots) is var other && other >= 0)
        {
            // "192.0.2.1:443" — the address without its port.
            if (token[other] != ':' || other == 0 || token[(other + 1)..].IndexOfAnyExceptInRange('0', '9') >= 0)
            {
                return false;
            }

            end = start + other;
            token = token[..other];
        }

        if (token.Count('.') != 3 || LooksLikeVersion(line, start))
        {
            return false;
        }

        return TryAdd(ObservableType.IPv4, line, start, end);
    }

    private static readonly System.Buffers.SearchValues<char> Ipv6Chars = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF:.");
    private static readonly System.Buffers.SearchValues<char> DigitsAndDots = System.Buffers.SearchValues.Create("0123456789.");

    private void ClassifyName(string line, int start, int end)
    {
        var token = line.AsSpan(start, end - start);
        var colon = token.LastIndexOf(':');
        if (colon > 0 && colon < token.Length - 1 && token[(colon + 1)..].IndexOfAnyExceptInRange('0', '9') < 0)
        {
            // "evil.example:8443" — the name without its port.
            end = start + colon;
            token = token[..colon];
        }

        var dot = token.LastIndexOf('.');
        if (dot <= 0 || dot == token.Length - 1)
        {
            return;
        }

        var extension = token[(dot + 1)..].ToString();
        if (FileExtensions.Contains(extension))
        {
            if (token.IndexOfAny('/', ':') < 0)
            {
                TryAdd(ObservableType.FileName, line, start, end);
            }

            return;
        }

        // A top-level label of letters (or punycode): "1.5x" or "e.g" are not domains.
        if (extension.Length < 2 || (!extension.StartsWith("xn--", StringComparison.OrdinalIgnoreCase) && !IsLetters(extension)))
        {
            return;
        }

        // A mixed-case top-level label ("Mr.Smith", "done.Next") is prose with a missing space, not a domain.
        if (extension.AsSpan().ContainsAnyInRange('a', 'z') && extension.AsSpan().ContainsAnyInRange('A', 'Z'))
        {
            return;
        }

        // A registered domain ("example.co.uk") is a domain; a name under one ("mail.example.co.uk") is a host name.
        // A bare public suffix ("co.uk", "github.io") is still a domain name, not a machine: report it as a domain.
        // The decision is made on the canonical (punycode, lower-case) name, which is the same for both types.
        if (!Observables.TryCanonicalise(ObservableType.Hostname, line[start..end], out var host, out _))
        {
            return;
        }

        var list = PublicSuffixList.Default;
        var isDomain = list.IsRegisteredDomain(host.Value) || list.IsPublicSuffix(host.Value);
        Add(isDomain ? host with { Type = ObservableType.Domain } : host, start, end);
    }

    private void ClassifyHandle(string line, int start, int end)
    {
        var handle = line.AsSpan(start + 1, end - start - 1);
        if (handle.Length is >= 2 and <= 32 && handle.IndexOf('@') < 0 && IsHandle(handle))
        {
            TryAdd(ObservableType.UserAccount, line, start, end);
        }
    }

    private static bool IsHandle(ReadOnlySpan<char> handle)
    {
        foreach (var c in handle)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLetters(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>"version 10.0.19041.1", "build 1.2.3.4", "v 1.2.3.4": dotted quads that are versions, not hosts.</summary>
    private static bool LooksLikeVersion(string line, int start)
    {
        var before = line.AsSpan(0, start).TrimEnd();
        return before.EndsWith("version", StringComparison.OrdinalIgnoreCase) || before.EndsWith("ver", StringComparison.OrdinalIgnoreCase)
            || before.EndsWith("build", StringComparison.OrdinalIgnoreCase) || before.EndsWith("release", StringComparison.OrdinalIgnoreCase)
            || before.EndsWith("firmware", StringComparison.OrdinalIgnoreCase) || before.EndsWith("v", StringComparison.OrdinalIgnoreCase)
            || before.EndsWith("ver.", StringComparison.OrdinalIgnoreCase);
    }

    private static bool PrecededBy(string line, int start, string keyword)
    {
        var from = Math.Max(0, start - 16);
        return line.AsSpan(from, start - from).Contains(keyword, StringComparison.OrdinalIgnoreCase);
    }
}
