using System.Text;
using Ribat.Forensics.Detection;

namespace Ribat.Forensics.Tests.Detection;

public class NetworkRuleValidationTests
{
    // Written for these tests in the style of Emerging Threats and Talos rules.
    private const string Rules = """
        # Stealer check-in over HTTP (sticky buffers, negated content, metadata)
        alert http $HOME_NET any -> $EXTERNAL_NET any (msg:"ET MALWARE Win32/Stealer CnC Checkin"; flow:established,to_server; http.method; content:"POST"; http.uri; content:"/gate.php"; startswith; fast_pattern; http.header_names; content:!"Referer"; reference:url,cert.example/analysis/41; classtype:trojan-activity; sid:2045001; rev:2; metadata:created_at 2026_03_12;)

        alert tcp [10.0.0.0/8, 192.168.0.0/16, !192.168.5.1] ![80,443,8000:8080] -> any 445 (msg:"SMB \"EternalBlue\" probe\; lab"; flow:to_server,established; content:"|FF|SMB|72 00 00 00 00|"; offset:4; depth:9; content:"|00 00|"; distance:0; within:2; sid:1000001; rev:1;)
        drop dns any any -> any 53 (msg:"DNS query for DGA-like name"; \
            dns.query; pcre:"/^[a-z0-9]{24,}\.(top|xyz)$/i"; \
            threshold:type limit, track by_src, count 1, seconds 60; sid:1000002; rev:3;)
        alert tcp 2001:db8::/32 any => [2001:db8::1,198.51.100.7] 1024: (msg:"Transactional rule"; sid:1000003;)
        """;

    private static RuleValidation Suricata(string text) => DetectionRules.Validate(DetectionRuleKind.Suricata, text);

    private static RuleValidation Snort(string text) => DetectionRules.Validate(DetectionRuleKind.Snort, text);

    [Fact]
    public void Realistic_suricata_rules_are_valid_and_named_by_their_first_rule()
    {
        var result = Suricata(Rules);
        result.Errors.Should().BeEmpty();
        result.Warnings.Should().BeEmpty();
        result.Title.Should().Be("ET MALWARE Win32/Stealer CnC Checkin");
        result.Id.Should().Be("2045001");
        DetectionRules.Detect(Rules).Should().Be(DetectionRuleKind.Suricata);
    }

    [Fact]
    public void Msg_escapes_are_undone_in_the_title()
    {
        Suricata("alert tcp any any -> any any (msg:\"SMB \\\"EternalBlue\\\" probe\\; lab\"; sid:7;)").Title.Should().Be("SMB \"EternalBlue\" probe; lab");
    }

    [Fact]
    public void Snort_rules_with_snort_actions_and_service_rules_are_valid()
    {
        var text = """
            log tcp any any -> $HOME_NET 23 (msg:"TELNET login"; content:"login"; nocase; sid:1000010; rev:1;)
            sdrop udp any any <> any 161 (msg:"SNMP public"; content:"public"; sid:1000011;)
            alert http (msg:"Snort 3 service rule"; http_uri; content:"/admin"; sid:1000012;)
            """;
        var result = Snort(text);
        result.Errors.Should().BeEmpty();
        DetectionRules.Detect(text).Should().Be(DetectionRuleKind.Snort);
        Suricata(text).Errors.Should().Contain(e => e.Message.StartsWith("'log' is not a Suricata action", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; sid:1;", "the options are never closed with ')'", 1, 30)]
    [InlineData("alert tcp any any -> any any (msg:\"x; sid:1;)", "option 'msg' has an unterminated quoted string", 1, 35)]
    [InlineData("alert tcp any any -> any any (msg:\"a;b\"; sid:1;)", "unterminated quoted string (a ';' inside quotes must be written '\\;')", 1, 35)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; sid:1)", "option 'sid' is not terminated with ';'", 1, 44)]
    [InlineData("alert tcp any any -> any any (msg:\"x\" sid:1;)", "msg must be a quoted string", 1, 35)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; nocase sid:1;)", "expected ':' or ';' after option 'nocase'", 1, 47)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; sid:1;) extra", "unexpected text after the closing ')'", 1, 48)]
    [InlineData("alert tcp any any -> any any msg:\"x\"; sid:1;", "expected '(' to open the options", 1, 30)]
    [InlineData("alert tcp any any -> any any", "the rule has no options", 1, 29)]
    [InlineData("alert tcp any any", "the header ends early: expected a direction", 1, 18)]
    [InlineData("alrt tcp any any -> any any (sid:1;)", "'alrt' is not a Suricata action", 1, 1)]
    [InlineData("alert tcp any any <- any any (sid:1;)", "'<-' is not a direction", 1, 19)]
    [InlineData("alert tcp 10.0.0.256 any -> any any (sid:1;)", "address '10.0.0.256' is not any, a $VARIABLE, an IP address or a CIDR block", 1, 11)]
    [InlineData("alert tcp [10.0.0.0/8, 10.1.1.1/33] any -> any any (sid:1;)", "address '10.1.1.1/33'", 1, 24)]
    [InlineData("alert tcp [10.0.0.0/8,,10.1.1.1] any -> any any (sid:1;)", "empty entry in a list", 1, 23)]
    [InlineData("alert tcp [10.0.0.0/8 any -> any any (sid:1;)", "must close with ']'", 1, 11)]
    [InlineData("alert tcp any 70000 -> any any (sid:1;)", "port '70000' is not any", 1, 15)]
    [InlineData("alert tcp any 90:80 -> any any (sid:1;)", "port range '90:80' has its low end above its high end", 1, 15)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; sid:abc;)", "sid must be a whole number from 1 to 4294967295, not 'abc'", 1, 44)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; rev:1;)", "the rule has no sid", 1, 30)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; sid:1; sid:2;)", "option 'sid' appears twice", 1, 47)]
    [InlineData("alert tcp any any -> any any (msg:x; sid:1;)", "msg must be a quoted string", 1, 35)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; content:\"|4G|\"; sid:1;)", "content: 'G' is not a hex digit inside '|...|'", 1, 51)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; content:\"|414|\"; sid:1;)", "the hex bytes between '|' have an odd number of digits", 1, 49)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; content:\"ab|41 42\"; sid:1;)", "a hex section opened with '|' is never closed", 1, 51)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; content:\"\"; sid:1;)", "content is empty", 1, 48)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; nocase; content:\"a\"; sid:1;)", "'nocase' modifies the content before it, but no content comes before it", 1, 40)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; pcre:\"abc\"; sid:1;)", "pcre must be written \"/pattern/flags\"", 1, 45)]
    [InlineData("alert tcp any any -> any any (msg:\"x\"; sid:1;)\nalert udp any any -> any any (msg:\"y\"; sid:1;)", "sid 1 is already used by the rule on line 1", 2, 1)]
    public void A_broken_rule_is_refused_at_the_right_place(string text, string expected, int line, int column)
    {
        var result = Suricata(text);
        result.IsValid.Should().BeFalse();
        result.Errors.Should().Contain(e => e.Message.Contains(expected, StringComparison.Ordinal) && e.Line == line && e.Column == column,
            string.Join("\n", result.Errors));
    }

    [Fact]
    public void Continuation_lines_report_positions_on_the_physical_line()
    {
        var result = Suricata("alert tcp any any -> any any (msg:\"x\"; \\\n    content:\"|4G|\"; sid:1;)");
        result.Errors.Should().ContainSingle().Which.Should().Be(new RuleProblem(2, 16, "content: 'G' is not a hex digit inside '|...|'."));
    }

    [Fact]
    public void Missing_msg_and_unknown_options_are_warnings()
    {
        var result = Suricata("alert tcp any any -> any any (content:\"a\"; brand_new_keyword:1; sid:5;)");
        result.IsValid.Should().BeTrue();
        result.Warnings.Select(w => w.Message).Should().Contain(m => m.Contains("the rule has no msg"))
            .And.Contain(m => m.Contains("option 'brand_new_keyword' is not one this validator knows"));
        result.Title.Should().BeNull();
        result.Id.Should().Be("5");
    }

    [Fact]
    public void Direction_and_actions_follow_the_engine()
    {
        Snort("alert tcp any any => any any (msg:\"x\"; sid:1;)").Errors.Should().ContainSingle(e => e.Message.Contains("'=>' is not a direction"));
        Suricata("rejectboth tcp any any -> any any (msg:\"x\"; sid:1;)").IsValid.Should().BeTrue();
        Suricata("alert http (msg:\"x\"; sid:1;)").Errors.Should().ContainSingle(e => e.Message.Contains("the header ends early"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# alert tcp any any -> any any (msg:\"disabled\"; sid:1;)")]
    public void Text_without_a_rule_is_refused(string text)
    {
        Suricata(text).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Hostile_input_never_throws_or_hangs()
    {
        Suricata("alert tcp " + new string('[', 10_000) + "1.1.1.1" + new string(']', 10_000) + " any -> any any (sid:1;)")
            .Errors.Should().ContainSingle(e => e.Message.Contains("nested deeper than 8"));
        Suricata("alert tcp any any -> any any (" + string.Concat(Enumerable.Repeat("content:\"\\;\\\"\"; ", 20_000)) + "sid:1;)").IsValid.Should().BeTrue();
        Suricata("alert tcp any any -> any any (msg:\"" + new string('\\', 100_001)).IsValid.Should().BeFalse();

        var random = new Random(2045001);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            var noise = Encoding.Latin1.GetString(bytes).Replace('\0', ' ');
            Suricata(noise).Should().NotBeNull();
            Snort(Rules[..random.Next(Rules.Length)]).Should().NotBeNull();
            Suricata(Rules.Insert(random.Next(Rules.Length), noise)).Should().NotBeNull();
        }
    }
}
