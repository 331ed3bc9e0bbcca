using System.Text;
using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Exchange;

public class BlocklistWriterTests
{
    private const string Hostile = "C2 \"; sid:1; content:\"x\"; )\nalert ip any any -> any any (msg:\"pwned\"; sid:2;)\r\n$INCLUDE /etc/passwd\n@ IN NS evil.example.";

    private static readonly BlocklistEntry[] Sample =
    [
        new(ObservableType.IPv4, "198.51.100.7", "C2 of report R-17"),
        new(ObservableType.Domain, "Evil.Example", "phishing kit"),
        new(ObservableType.Cidr, "203.0.113.0/24"),
        new(ObservableType.IPv6, "2001:db8::7"),
        new(ObservableType.Hostname, "mail.evil.example"),
        new(ObservableType.Md5, "d41d8cd98f00b204e9800998ecf8427e"),
        new(ObservableType.Url, "https://evil.example/gate.php"),
        new(ObservableType.Hostname, "evil.example", "the same name again"),
        new(ObservableType.IPv4, "300.1.1.1"),
    ];

    private static (string Text, BlocklistResult Result) Write(BlocklistFormat format, IEnumerable<BlocklistEntry>? entries = null, BlocklistOptions? options = null)
    {
        var output = new StringWriter();
        var result = BlocklistWriter.Write(entries ?? Sample, format, output, options);
        return (output.ToString(), result);
    }

    [Fact]
    public void Plain_lists_every_valid_value_once()
    {
        var (text, result) = Write(BlocklistFormat.Plain);

        text.Should().Be("198.51.100.7\nevil.example\n203.0.113.0/24\n2001:db8::7\nmail.evil.example\nd41d8cd98f00b204e9800998ecf8427e\nhttps://evil.example/gate.php\n");
        result.Should().BeEquivalentTo(new BlocklistResult(7, 1, 1, new Dictionary<ObservableType, int>()));
    }

    [Fact]
    public void Hosts_sinks_names_only_and_counts_what_it_cannot_express()
    {
        var (text, result) = Write(BlocklistFormat.Hosts);

        text.Should().Be("0.0.0.0 evil.example\n0.0.0.0 mail.evil.example\n");
        result.Written.Should().Be(2);
        result.Unsupported.Should().BeEquivalentTo(new Dictionary<ObservableType, int>
        {
            [ObservableType.IPv4] = 1,
            [ObservableType.Cidr] = 1,
            [ObservableType.IPv6] = 1,
            [ObservableType.Md5] = 1,
            [ObservableType.Url] = 1,
        });
        result.Skipped.Should().Be(6, "five types it cannot express and one invalid address");
    }

    [Fact]
    public void Suricata_rules_golden()
    {
        var (text, result) = Write(BlocklistFormat.Suricata, options: new BlocklistOptions { Action = RuleAction.Drop, FirstSid = 9_100_000 });

        text.Should().Be(
            "# Ribat block list, suricata rules\n"
            + "drop ip any any -> [198.51.100.7] any (msg:\"Ribat ipv4 198.51.100.7 - C2 of report R-17\"; sid:9100000; rev:1;)\n"
            + "drop dns any any -> any any (msg:\"Ribat domain evil.example - phishing kit\"; dns.query; dotprefix; content:\".evil.example\"; nocase; endswith; sid:9100001; rev:1;)\n"
            + "drop ip any any -> [203.0.113.0/24] any (msg:\"Ribat cidr 203.0.113.0/24\"; sid:9100002; rev:1;)\n"
            + "drop ip any any -> [2001:db8::7] any (msg:\"Ribat ipv6 2001:db8::7\"; sid:9100003; rev:1;)\n"
            + "drop dns any any -> any any (msg:\"Ribat hostname mail.evil.example\"; dns.query; dotprefix; content:\".mail.evil.example\"; nocase; endswith; sid:9100004; rev:1;)\n");
        result.Should().BeEquivalentTo(new BlocklistResult(5, 1, 1, new Dictionary<ObservableType, int> { [ObservableType.Md5] = 1, [ObservableType.Url] = 1 }));
    }

    [Fact]
    public void Snort_rules_golden_with_dns_names_in_wire_format()
    {
        var (text, _) = Write(BlocklistFormat.Snort, Sample.Take(2));

        text.Should().Be(
            "# Ribat block list, snort rules\n"
            + "alert ip any any -> [198.51.100.7] any (msg:\"Ribat ipv4 198.51.100.7 - C2 of report R-17\"; sid:1000000; rev:1;)\n"
            + "alert udp any any -> any 53 (msg:\"Ribat domain evil.example - phishing kit\"; content:\"|04|evil|07|example|00|\"; nocase; sid:1000001; rev:1;)\n");
    }

    [Fact]
    public void Rpz_zone_golden()
    {
        var options = new BlocklistOptions { RpzOrigin = "rpz.cert.example", RpzSerial = 2024050101, RpzPrimary = "ns1.cert.example.", RpzHostmaster = "hostmaster.cert.example." };

        var (text, result) = Write(BlocklistFormat.Rpz, options: options);

        text.Should().Be(
            "$ORIGIN rpz.cert.example.\n$TTL 300\n"
            + "@ IN SOA ns1.cert.example. hostmaster.cert.example. 2024050101 3600 600 86400 300\n"
            + "@ IN NS ns1.cert.example.\n"
            + "; C2 of report R-17\n32.7.100.51.198.rpz-ip CNAME .\n"
            + "; phishing kit\nevil.example CNAME .\n*.evil.example CNAME .\n"
            + "24.0.113.0.203.rpz-ip CNAME .\n"
            + "128.7.zz.db8.2001.rpz-ip CNAME .\n"
            + "mail.evil.example CNAME .\n*.mail.evil.example CNAME .\n");
        result.Written.Should().Be(5);
    }

    [Theory]
    [InlineData("2001:db8::1", "128.1.zz.db8.2001.rpz-ip")]
    [InlineData("::1", "128.1.zz.rpz-ip")]
    [InlineData("1::", "128.zz.1.rpz-ip")]
    [InlineData("::", "128.zz.rpz-ip")]
    [InlineData("2001:db8:0:0:1:0:0:1", "128.1.0.0.1.zz.db8.2001.rpz-ip")]
    [InlineData("2001:db8:0:1:1:1:1:1", "128.1.1.1.1.1.0.db8.2001.rpz-ip")]
    [InlineData("2001:db8::/32", "32.zz.db8.2001.rpz-ip")]
    [InlineData("10.0.0.0/8", "8.0.0.0.10.rpz-ip")]
    [InlineData("192.0.2.1", "32.1.2.0.192.rpz-ip")]
    public void Rpz_ip_triggers_follow_the_rpz_encoding(string address, string owner)
    {
        BlocklistLines.RpzIpOwner(address).Should().Be(owner);
    }

    [Theory]
    [InlineData(BlocklistFormat.Suricata)]
    [InlineData(BlocklistFormat.Snort)]
    public void A_hostile_message_cannot_add_rule_options_or_rules(BlocklistFormat format)
    {
        var (text, _) = Write(format, [new(ObservableType.IPv4, "198.51.100.7", Hostile), new(ObservableType.Domain, "evil.example", Hostile)]);

        var rules = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        rules.Should().HaveCount(2, "each entry is one line, whatever its message holds");
        RuleOptions(rules[0]).Should().Equal("msg", "sid", "rev");
        RuleOptions(rules[1]).Should().Equal(format == BlocklistFormat.Suricata
            ? ["msg", "dns.query", "dotprefix", "content", "nocase", "endswith", "sid", "rev"]
            : ["msg", "content", "nocase", "sid", "rev"]);
        rules.Should().OnlyContain(r => r.Contains("sid:100000", StringComparison.Ordinal) && r.Count(c => c > '~') == 0);
    }

    [Fact]
    public void A_hostile_message_cannot_add_zone_records()
    {
        var (text, _) = Write(BlocklistFormat.Rpz, [new(ObservableType.IPv4, "198.51.100.7", Hostile), new(ObservableType.Domain, "evil.example", "\u2028" + Hostile)]);

        var records = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith(';')).ToList();
        records.Should().Equal(
            "$TTL 300", "@ IN SOA localhost. hostmaster.localhost. 1 3600 600 86400 300", "@ IN NS localhost.",
            "32.7.100.51.198.rpz-ip CNAME .", "evil.example CNAME .", "*.evil.example CNAME .");
    }

    [Fact]
    public void Zone_names_in_the_options_that_would_break_the_zone_are_refused_at_once()
    {
        var act = () => Write(BlocklistFormat.Rpz, options: new BlocklistOptions { RpzOrigin = "rpz.example\n@ IN NS evil." });

        act.Should().Throw<ArgumentException>().WithMessage("RpzOrigin*is not a DNS name*");
    }

    [Fact]
    public async Task Writing_asynchronously_gives_the_same_text_and_counts()
    {
        var output = new StringWriter();

        var result = await BlocklistWriter.WriteAsync(Sample, BlocklistFormat.Suricata, output);

        output.ToString().Should().Be(Write(BlocklistFormat.Suricata).Text);
        result.Should().BeEquivalentTo(Write(BlocklistFormat.Suricata).Result);
    }

    /// <summary>The option names of a rule, read the way Snort and Suricata read them (quotes and backslash escapes).</summary>
    private static List<string> RuleOptions(string rule)
    {
        var body = rule[(rule.IndexOf('(') + 1)..rule.LastIndexOf(')')];
        var names = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\\' && i + 1 < body.Length)
            {
                current.Append(c).Append(body[++i]);
                continue;
            }

            quoted ^= c == '"';
            if (c == ';' && !quoted)
            {
                names.Add(current.ToString().Trim().Split(':')[0]);
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        current.ToString().Trim().Should().BeEmpty("nothing follows the last option");
        return names;
    }
}
