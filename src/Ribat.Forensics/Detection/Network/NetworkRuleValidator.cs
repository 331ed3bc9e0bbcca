using System.Collections.Frozen;

namespace Ribat.Forensics.Detection;

/// <summary>
/// Validates Suricata and Snort rules: <c>action proto src_addr src_port direction dst_addr dst_port (options)</c>,
/// one rule per line (with '\' continuations). The header is checked exactly; options are split by the engines' own
/// rule (up to an unescaped ';'), the keywords every rule needs are checked, and unknown keywords are warnings,
/// because both engines add keywords with every release.
/// </summary>
internal static partial class NetworkRuleValidator
{
    private static readonly FrozenSet<string> SuricataActions =
        new[] { "alert", "pass", "drop", "reject", "rejectsrc", "rejectdst", "rejectboth" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> SnortActions =
        new[] { "alert", "log", "pass", "drop", "reject", "sdrop", "block", "react", "rewrite" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Protocols = new[]
    {
        "ip", "tcp", "udp", "icmp", "icmpv4", "icmpv6", "ipv4", "ipv6", "sctp", "pkthdr", "tcp-pkt", "tcp-stream",
        "http", "http1", "http2", "ftp", "ftp-data", "tls", "ssl", "smb", "dns", "dcerpc", "ssh", "smtp", "imap", "pop3",
        "modbus", "dnp3", "enip", "cip", "nfs", "ikev2", "ike", "krb5", "ntp", "dhcp", "rfb", "sip", "snmp", "tftp", "mqtt",
        "pgsql", "rdp", "telnet", "quic", "websocket", "ldap", "bittorrent-dht", "doh2", "file", "netbios-ssn",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static void Validate(string text, bool snort, RuleReport report)
    {
        var rules = NetworkRuleText.Split(text);
        if (rules.Count == 0)
        {
            report.Error(1, 1, "no rule found: every line is blank or a '#' comment.");
            return;
        }

        var sids = new Dictionary<long, int>();
        foreach (var rule in rules)
        {
            var parsed = new NetworkRuleParser(rule, snort, report).Parse();
            if (parsed.Sid is { } sid && !sids.TryAdd(sid, rule.Line))
            {
                report.Error(rule.Line, 1, $"sid {sid} is already used by the rule on line {sids[sid]}.");
            }

            if (rule == rules[0])
            {
                report.Title = parsed.Message;
                report.Id = parsed.Sid?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>Shape test for <see cref="DetectionRules.Detect"/>: an action, then a protocol, then more.</summary>
    public static bool LooksLikeRuleLine(ReadOnlySpan<char> line, out bool snortOnly)
    {
        snortOnly = false;
        var space = line.IndexOfAny(' ', '\t');
        if (space <= 0 || !line.Contains('('))
        {
            return false;
        }

        var action = line[..space].ToString();
        var rest = line[space..].TrimStart();
        var protocolEnd = rest.IndexOfAny(' ', '\t', '(');
        if (protocolEnd <= 0 || !Protocols.Contains(rest[..protocolEnd].ToString()))
        {
            return false;
        }

        snortOnly = SnortActions.Contains(action) && !SuricataActions.Contains(action);
        return SuricataActions.Contains(action) || SnortActions.Contains(action);
    }

    internal static bool IsAction(string action, bool snort) => (snort ? SnortActions : SuricataActions).Contains(action);

    internal static string Actions(bool snort) => string.Join(", ", (snort ? SnortActions : SuricataActions).Order(StringComparer.Ordinal));

    internal static bool IsProtocol(string protocol) => Protocols.Contains(protocol);
}
