using System.Text;
using Ribat.Forensics.Detection;
using static Ribat.Forensics.Tests.Detection.SigmaTestRules;

namespace Ribat.Forensics.Tests.Detection;

public class SigmaModifierTests
{
    [Fact]
    public void Plain_values_match_whole_and_ignore_case()
    {
        Matches("Image", @"'C:\Windows\System32\cmd.exe'", ("Image", @"c:\windows\system32\CMD.EXE")).Should().BeTrue();
        Matches("Image", @"'C:\Windows\System32\cmd.exe'", ("Image", @"C:\Windows\System32\cmd.exe.bak")).Should().BeFalse();
        Matches("EventID", "1", ("Image", "x")).Should().BeTrue("numbers compare as the text the log shows");
    }

    [Fact]
    public void Contains_startswith_and_endswith_keep_a_trailing_backslash_literal()
    {
        Matches("Image|startswith", @"'C:\Windows\'", ("Image", @"C:\Windows\notepad.exe")).Should().BeTrue();
        Matches("Image|startswith", @"'C:\Windows\'", ("Image", @"C:\WindowsApps\x.exe")).Should().BeFalse();
        Matches("Image|endswith", @"'\cmd.exe'", ("Image", @"C:\x\CMD.exe")).Should().BeTrue();
        Matches("CommandLine|contains", "'-nop'", ("CommandLine", "powershell -NoP -w hidden")).Should().BeTrue();
        Matches("CommandLine|contains", "'-nop'", ("CommandLine", "powershell")).Should().BeFalse();
    }

    [Fact]
    public void Wildcards_match_runs_and_single_characters_and_escapes_make_them_literal()
    {
        Matches("Image", @"'C:\Users\\*\AppData\\*.exe'", ("Image", @"C:\Users\bob\AppData\Local\x.exe")).Should().BeTrue();
        Matches("Image", @"'C:\Users\\*\AppData\\*.exe'", ("Image", @"C:\Users\bob\Desktop\x.exe")).Should().BeFalse();
        Matches("Image", @"'C:\Users\*'", ("Image", @"C:\Users\bob")).Should().BeFalse("a backslash before * escapes it, as the specification says");
        Matches("Image", @"'C:\Users\*'", ("Image", @"C:\Users*")).Should().BeTrue();
        Matches("Image", "'cmd?.exe'", ("Image", "cmd2.exe")).Should().BeTrue();
        Matches("Image", "'cmd?.exe'", ("Image", "cmd.exe")).Should().BeFalse();
        Matches("CommandLine", @"'what\?'", ("CommandLine", "what?")).Should().BeTrue();
        Matches("CommandLine", @"'what\?'", ("CommandLine", "whatx")).Should().BeFalse();
        Matches("CommandLine", @"'a\*b'", ("CommandLine", "axxb")).Should().BeFalse();
        Matches("CommandLine", @"'a\\*'", ("CommandLine", @"a\anything")).Should().BeTrue("\\\\ is one backslash, then a wildcard");
    }

    [Fact]
    public void Lists_are_alternatives_and_all_makes_them_required()
    {
        Matches("CommandLine|contains", "['alpha', 'beta']", ("CommandLine", "x beta")).Should().BeTrue();
        Matches("CommandLine|contains|all", "['alpha', 'beta']", ("CommandLine", "x beta")).Should().BeFalse();
        Matches("CommandLine|contains|all", "['alpha', 'beta']", ("CommandLine", "beta alpha")).Should().BeTrue();
    }

    [Fact]
    public void Cased_makes_matching_case_sensitive()
    {
        Matches("CommandLine|contains|cased", "'IEX'", ("CommandLine", "iex (x)")).Should().BeFalse();
        Matches("CommandLine|contains|cased", "'IEX'", ("CommandLine", "IEX (x)")).Should().BeTrue();
    }

    [Fact]
    public void Null_matches_a_missing_or_valueless_field_and_empty_matches_only_emptiness()
    {
        Matches("ParentImage", "null", ("Image", "x")).Should().BeTrue();
        Matches("ParentImage", "null", ("ParentImage", null)).Should().BeTrue();
        Matches("ParentImage", "null", ("ParentImage", "p.exe")).Should().BeFalse();
        Matches("OriginalFileName", "''", ("OriginalFileName", "")).Should().BeTrue();
        Matches("OriginalFileName", "''", ("OriginalFileName", null)).Should().BeTrue("EVTX renders an empty Data element as null");
        Matches("OriginalFileName", "''", ("Image", "x")).Should().BeFalse("a missing field is not an empty one");
        Matches("OriginalFileName", "''", ("OriginalFileName", "a.exe")).Should().BeFalse();
    }

    [Fact]
    public void Exists_tests_presence_whatever_the_value()
    {
        Matches("ParentImage|exists", "true", ("ParentImage", null)).Should().BeTrue();
        Matches("ParentImage|exists", "true", ("Image", "x")).Should().BeFalse();
        Matches("ParentImage|exists", "false", ("Image", "x")).Should().BeTrue();
    }

    [Fact]
    public void Base64_and_base64offset_find_the_value_inside_encoded_text_at_any_offset()
    {
        Matches("CommandLine|base64|contains", "'secret'", ("CommandLine", "x " + B64("secret"))).Should().BeTrue();
        for (var shift = 0; shift < 3; shift++)
        {
            var encoded = B64(new string('a', shift) + "http://evil.example/x");
            Matches("CommandLine|base64offset|contains", "'http://'", ("CommandLine", "-e " + encoded)).Should().BeTrue($"offset {shift}");
        }

        Matches("CommandLine|base64offset|contains", "'http://'", ("CommandLine", B64("ftp://evil"))).Should().BeFalse();
    }

    [Fact]
    public void Utf16_encodings_chain_into_base64_as_powershell_encodes_commands()
    {
        for (var shift = 0; shift < 3; shift++)
        {
            var command = Convert.ToBase64String(Encoding.Unicode.GetBytes(new string(' ', shift) + "IEX (New-Object Net.WebClient)"));
            Matches("CommandLine|wide|base64offset|contains", "'New-Object'", ("CommandLine", "powershell -enc " + command)).Should().BeTrue($"offset {shift}");
            Matches("CommandLine|utf16le|base64offset|contains", "'New-Object'", ("CommandLine", "powershell -enc " + command)).Should().BeTrue();
        }

        var bigEndian = Convert.ToBase64String(Encoding.BigEndianUnicode.GetBytes("whoami"));
        Matches("CommandLine|utf16be|base64|contains", "'whoami'", ("CommandLine", bigEndian)).Should().BeTrue();
        var withBom = Convert.ToBase64String([0xFF, 0xFE, .. Encoding.Unicode.GetBytes("whoami")]);
        Matches("CommandLine|utf16|base64|contains", "'whoami'", ("CommandLine", withBom)).Should().BeTrue();
        Matches("CommandLine|utf16|base64|contains", "'whoami'", ("CommandLine", Convert.ToBase64String(Encoding.UTF8.GetBytes("whoami")))).Should().BeFalse();
    }

    [Fact]
    public void Windash_accepts_every_dash_windows_takes_for_a_switch()
    {
        foreach (var dash in (string[])["-", "/", "\u2013", "\u2014", "\u2015"])
        {
            Matches("CommandLine|windash|contains", "' -enc '", ("CommandLine", $"powershell {dash}enc AAAA")).Should().BeTrue(dash);
        }

        Matches("CommandLine|windash|contains", "' -enc '", ("CommandLine", "powershell enc AAAA")).Should().BeFalse();
        Matches("CommandLine|windash|contains", "' -enc '", ("CommandLine", "powershell +enc AAAA")).Should().BeFalse();
    }

    [Fact]
    public void Regular_expressions_are_case_sensitive_unless_flagged()
    {
        Matches("CommandLine|re", "'invoke-mimikatz'", ("CommandLine", "Invoke-Mimikatz")).Should().BeFalse();
        Matches("CommandLine|re|i", "'invoke-mimikatz'", ("CommandLine", "Invoke-Mimikatz")).Should().BeTrue();
        Matches("CommandLine|re", "'^second$'", ("CommandLine", "first\nsecond")).Should().BeFalse();
        Matches("CommandLine|re|m", "'^second$'", ("CommandLine", "first\nsecond")).Should().BeTrue();
        Matches("CommandLine|re", "'a.b'", ("CommandLine", "a\nb")).Should().BeFalse();
        Matches("CommandLine|re|s", "'a.b'", ("CommandLine", "a\nb")).Should().BeTrue();
        Matches("CommandLine|re", @"'(\w)\1'", ("CommandLine", "xyyz")).Should().BeTrue("back-references run on the backtracking engine");
    }

    [Fact]
    public void Cidr_matches_ipv4_and_ipv6_blocks()
    {
        Matches("DestinationIp|cidr", "'10.0.0.0/8'", ("DestinationIp", "10.200.3.4")).Should().BeTrue();
        Matches("DestinationIp|cidr", "'10.0.0.0/8'", ("DestinationIp", "11.0.0.1")).Should().BeFalse();
        Matches("DestinationIp|cidr", "'2001:db8::/32'", ("DestinationIp", "2001:db8:ffff::1")).Should().BeTrue();
        Matches("DestinationIp|cidr", "'2001:db8::/32'", ("DestinationIp", "2001:db9::1")).Should().BeFalse();
        Matches("DestinationIp|cidr", "'2001:db8::/32'", ("DestinationIp", "10.0.0.1")).Should().BeFalse();
        Matches("DestinationIp|cidr", "['192.168.0.0/16', 'fe80::/10']", ("DestinationIp", "fe80::1")).Should().BeTrue();
    }

    [Fact]
    public void Comparisons_read_the_field_as_a_number()
    {
        Matches("Size|gt", "100", ("Size", "101")).Should().BeTrue();
        Matches("Size|gt", "100", ("Size", "100")).Should().BeFalse();
        Matches("Size|gte", "100", ("Size", "100")).Should().BeTrue();
        Matches("Size|lt", "100", ("Size", "99.5")).Should().BeTrue();
        Matches("Size|lte", "100", ("Size", "100")).Should().BeTrue();
        Matches("Size|lt", "100", ("Size", "abc")).Should().BeFalse();
    }

    [Fact]
    public void Fieldref_compares_with_another_field_of_the_event()
    {
        Matches("Image|fieldref", "ParentImage", ("Image", @"C:\a.exe"), ("ParentImage", @"c:\A.exe")).Should().BeTrue();
        Matches("Image|fieldref", "ParentImage", ("Image", @"C:\a.exe"), ("ParentImage", @"C:\b.exe")).Should().BeFalse();
        Matches("Image|fieldref", "ParentImage", ("Image", @"C:\a.exe")).Should().BeFalse();
        Matches("CommandLine|fieldref|contains", "User", ("CommandLine", "runas bob /x"), ("User", "bob")).Should().BeTrue();
    }

    [Fact]
    public void Expand_takes_placeholder_values_from_the_options_and_refuses_a_rule_without_them()
    {
        var rule = ProcessRule("""
            selection:
                Computer|expand: '%domain_controllers%'
            condition: selection
            """);
        var options = new SigmaEngineOptions
        {
            Placeholders = new Dictionary<string, IReadOnlyList<string>> { ["domain_controllers"] = ["DC01", "DC02*"] },
        };
        Fires(rule, Process(("Computer", "dc02.corp")), options).Should().BeTrue();
        Fires(rule, Process(("Computer", "ws01")), options).Should().BeFalse();
        Refusal(rule).Should().Contain("%domain_controllers%").And.Contain("no value");
    }

    [Fact]
    public void Keywords_search_every_field_value()
    {
        var rule = ProcessRule("""
            keywords:
                - 'sekurlsa::'
                - 'mimilib.dll'
            condition: keywords
            """);
        Fires(rule, Process(("Image", "x.exe"), ("CommandLine", "x SEKURLSA::logonpasswords"))).Should().BeTrue();
        Fires(rule, Process(("Image", "x.exe"), ("CommandLine", "dir"))).Should().BeFalse();
    }

    [Fact]
    public void A_repeated_field_name_matches_when_any_of_its_values_does()
    {
        var rule = ProcessRule("""
            selection:
                Data|contains: 'needle'
            condition: selection
            """);
        Fires(rule, Process(("Data", "hay"), ("Data", "the needle"))).Should().BeTrue();
        Fires(rule, Process(("Data", "hay"), ("Data", "straw"))).Should().BeFalse();
    }

    [Fact]
    public void Field_names_with_spaces_in_the_log_answer_to_their_sigma_name_without_spaces()
    {
        var rule = """
            title: Defender
            logsource:
                product: windows
                service: windefend
            detection:
                selection:
                    SourceName: 'Real-Time Protection'
                condition: selection
            """;
        var logEvent = Event("Microsoft-Windows-Windows Defender/Operational", 1116, ("Source Name", "Real-Time Protection"));
        Fires(rule, logEvent).Should().BeTrue();
    }

    [Fact]
    public void Unsupported_or_conflicting_modifiers_are_refused_with_the_reason()
    {
        Refusal(ProcessRule("""
            selection:
                Size|lt|gt: 5
            condition: selection
            """)).Should().Contain("cannot be combined");
        Refusal(ProcessRule("""
            selection:
                CommandLine|base64: 'a*b'
            condition: selection
            """)).Should().Contain("wildcard");
        Refusal(ProcessRule("""
            selection:
                Time|hour: 3
            condition: selection
            """)).Should().Contain("'hour' is not supported");
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
