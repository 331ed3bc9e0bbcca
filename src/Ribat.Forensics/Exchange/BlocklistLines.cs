using System.Globalization;
using System.Net;
using System.Text;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// The text of each block-list format. Values reaching here are canonical (letters, digits, <c>-</c>, <c>_</c>,
/// <c>.</c>, <c>:</c>, <c>/</c>), so they cannot break a rule or a record; free text (messages) is escaped for rules
/// and flattened to a single ASCII comment line for zones, so a hostile comment cannot add rule options or records.
/// </summary>
internal static class BlocklistLines
{
    private const int MaxMessage = 200;

    public static bool Supports(BlocklistFormat format, ObservableType type) => format switch
    {
        BlocklistFormat.Plain => true,
        BlocklistFormat.Hosts => type.IsHost(),
        _ => type.IsHost() || type.IsIp(),
    };

    public static string Head(BlocklistFormat format, BlocklistOptions options) => format switch
    {
        BlocklistFormat.Suricata or BlocklistFormat.Snort => $"# Ribat block list, {format.ToString().ToLowerInvariant()} rules\n",
        BlocklistFormat.Rpz => RpzHead(options),
        _ => string.Empty,
    };

    public static string Entry(BlocklistFormat format, Canonical value, string? message, long sid, BlocklistOptions options) => format switch
    {
        BlocklistFormat.Plain => value.Value + "\n",
        BlocklistFormat.Hosts => $"0.0.0.0 {value.Value}\n",
        BlocklistFormat.Suricata => SuricataRule(value, message, sid, options),
        BlocklistFormat.Snort => SnortRule(value, message, sid, options),
        _ => RpzRecords(value, message),
    };

    private static string SuricataRule(Canonical value, string? message, long sid, BlocklistOptions options)
    {
        var head = Action(options);
        var msg = RuleMessage(value, message, options);
        return value.Type.IsIp()
            ? $"{head} ip any any -> [{value.Value}] any (msg:\"{msg}\"; sid:{sid}; rev:1;)\n"
            // dotprefix makes ".evil.example" match the name and its subdomains but not "notevil.example".
            : $"{head} dns any any -> any any (msg:\"{msg}\"; dns.query; dotprefix; content:\".{value.Value}\"; nocase; endswith; sid:{sid}; rev:1;)\n";
    }

    private static string SnortRule(Canonical value, string? message, long sid, BlocklistOptions options)
    {
        var head = Action(options);
        var msg = RuleMessage(value, message, options);
        return value.Type.IsIp()
            ? $"{head} ip any any -> [{value.Value}] any (msg:\"{msg}\"; sid:{sid}; rev:1;)\n"
            // The name as it travels in a DNS query: each label after its length byte, then the root's zero byte.
            // A subdomain's query ends with the same bytes, and the length byte keeps "notevil" from matching "evil".
            : $"{head} udp any any -> any 53 (msg:\"{msg}\"; content:\"{WireName(value.Value)}\"; nocase; sid:{sid}; rev:1;)\n";
    }

    private static string Action(BlocklistOptions options) => options.Action == RuleAction.Drop ? "drop" : "alert";

    private static string WireName(string name)
    {
        var wire = new StringBuilder(name.Length + 16);
        foreach (var label in name.Split('.'))
        {
            wire.Append('|').Append(label.Length.ToString("x2", CultureInfo.InvariantCulture)).Append('|');
            foreach (var c in label)
            {
                if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
                {
                    wire.Append(c);
                }
                else
                {
                    wire.Append('|').Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)).Append('|');
                }
            }
        }

        return wire.Append("|00|").ToString();
    }

    /// <summary>
    /// Rule option text: <c>\</c>, <c>"</c> and <c>;</c> are escaped with a backslash (the Snort and Suricata syntax),
    /// control characters become spaces and anything outside printable ASCII a <c>?</c>, so a rule stays one line
    /// with exactly the options written here.
    /// </summary>
    internal static string RuleMessage(Canonical value, string? message, BlocklistOptions options)
    {
        var text = $"{options.MessagePrefix} {value.Type.ToName()} {value.Value}" + (string.IsNullOrWhiteSpace(message) ? string.Empty : " - " + message);
        var escaped = new StringBuilder(Math.Min(text.Length, MaxMessage) + 8);
        foreach (var c in Flatten(text))
        {
            if (c is '\\' or '"' or ';')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>One line of printable ASCII, at most <see cref="MaxMessage"/> characters.</summary>
    internal static string Flatten(string text)
    {
        var flat = new StringBuilder(Math.Min(text.Length, MaxMessage));
        foreach (var c in text)
        {
            if (flat.Length == MaxMessage)
            {
                break;
            }

            flat.Append(char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c is >= ' ' and <= '~' ? c : '?');
        }

        return flat.ToString().Trim();
    }

    private static string RpzHead(BlocklistOptions options)
    {
        var head = new StringBuilder();
        if (options.RpzOrigin is { } origin)
        {
            head.Append("$ORIGIN ").Append(ZoneName(origin, nameof(options.RpzOrigin)).TrimEnd('.')).Append(".\n");
        }

        var ttl = options.RpzTtl.ToString(CultureInfo.InvariantCulture);
        head.Append("$TTL ").Append(ttl).Append('\n')
            .Append("@ IN SOA ").Append(ZoneName(options.RpzPrimary, nameof(options.RpzPrimary))).Append(' ')
            .Append(ZoneName(options.RpzHostmaster, nameof(options.RpzHostmaster))).Append(' ')
            .Append(options.RpzSerial.ToString(CultureInfo.InvariantCulture)).Append(" 3600 600 86400 ").Append(ttl).Append('\n')
            .Append("@ IN NS ").Append(ZoneName(options.RpzPrimary, nameof(options.RpzPrimary))).Append('\n');
        return head.ToString();
    }

    /// <summary>Zone names in the options come from configuration; a space or a semicolon there is a defect, said at once.</summary>
    private static string ZoneName(string name, string option) =>
        name.Length > 0 && !name.AsSpan().ContainsAnyExcept(ZoneNameChars)
            ? name
            : throw new ArgumentException($"{option} '{name}' is not a DNS name (letters, digits, '-', '_' and '.').", option);

    private static readonly System.Buffers.SearchValues<char> ZoneNameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    private static string RpzRecords(Canonical value, string? message)
    {
        var comment = string.IsNullOrWhiteSpace(message) ? null : Flatten(message);
        var records = new StringBuilder();
        if (!string.IsNullOrEmpty(comment))
        {
            records.Append("; ").Append(comment).Append('\n');
        }

        if (value.Type.IsHost())
        {
            records.Append(value.Value).Append(" CNAME .\n*.").Append(value.Value).Append(" CNAME .\n");
        }
        else
        {
            records.Append(RpzIpOwner(value.Value)).Append(" CNAME .\n");
        }

        return records.ToString();
    }

    /// <summary>
    /// The RPZ IP trigger owner name: prefix length, then the address in reverse order; IPv4 by octets
    /// (<c>32.4.3.2.1.rpz-ip</c>), IPv6 by 16-bit words in hex without leading zeros, the longest run of two or more
    /// zero words (the first, on a tie) written <c>zz</c> (<c>128.1.zz.db8.2001.rpz-ip</c>).
    /// </summary>
    internal static string RpzIpOwner(string value)
    {
        var slash = value.IndexOf('/');
        var address = IPAddress.Parse(slash < 0 ? value : value[..slash]);
        var v4 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        var prefix = slash < 0 ? (v4 ? "32" : "128") : value[(slash + 1)..];
        var bytes = address.GetAddressBytes();
        var owner = new StringBuilder(prefix);
        if (v4)
        {
            for (var i = 3; i >= 0; i--)
            {
                owner.Append('.').Append(bytes[i].ToString(CultureInfo.InvariantCulture));
            }

            return owner.Append(".rpz-ip").ToString();
        }

        var words = new int[8];
        for (var i = 0; i < 8; i++)
        {
            words[i] = (bytes[2 * i] << 8) | bytes[(2 * i) + 1];
        }

        var (runStart, runLength) = LongestZeroRun(words);
        for (var i = 7; i >= 0; i--)
        {
            if (runLength >= 2 && i >= runStart && i < runStart + runLength)
            {
                if (i == runStart + runLength - 1)
                {
                    owner.Append(".zz");
                }

                continue;
            }

            owner.Append('.').Append(words[i].ToString("x", CultureInfo.InvariantCulture));
        }

        return owner.Append(".rpz-ip").ToString();
    }

    private static (int Start, int Length) LongestZeroRun(int[] words)
    {
        var (bestStart, bestLength) = (-1, 0);
        for (var i = 0; i < words.Length;)
        {
            if (words[i] != 0)
            {
                i++;
                continue;
            }

            var start = i;
            while (i < words.Length && words[i] == 0)
            {
                i++;
            }

            if (i - start > bestLength)
            {
                (bestStart, bestLength) = (start, i - start);
            }
        }

        return (bestStart, bestLength);
    }
}
