using System.Diagnostics;
using System.Text;
using Ribat.Forensics.Detection;

namespace Ribat.Forensics.Tests.Detection;

public class YaraValidationTests
{
    // Written for these tests in the style of public ransomware rules: MZ check, PE module, hex strings with
    // wildcards, jumps and alternatives, a mutex string, a regular expression and a loop over sections.
    private const string WannaCryLike = """
        import "pe"
        import "math"

        /* Ransomware dropper family seen in 2017-style worm campaigns */
        rule Ransom_WormDropper_Like : ransomware worm
        {
            meta:
                author = "CERT-XX"
                description = "Dropper with kill-switch domain check and SMB propagation"
                score = 80
                confidence = -1
                shared = true
            strings:
                $mutex = "Global\\MsWinZonesCacheCounterMutexA" ascii wide
                $ext1 = ".WNCRY" nocase
                $ext2 = ".wnry" fullword
                $cmd = "icacls . /grant Everyone:F /T /C /Q" xor(1-255)
                $b64 = "tasksche.exe" base64 base64wide
                $smb = { 00 00 00 ?? FF 53 4D 42 72 00 00 00 00 18 53 C0 [2-4] ( 01 | 02 03 | ~04 ) 4? ?D }
                $url = /https?:\/\/[a-z0-9]{20,40}\.(com|test)\//is
                $_note = "unused but exempt"
            condition:
                uint16(0) == 0x5A4D and uint32(uint32(0x3C)) == 0x00004550
                and filesize < 10MB and filesize > 16KB
                and pe.number_of_sections > 3
                and (any of ($ext*) or #mutex > 1 or $cmd at pe.entry_point)
                and $smb in (0..filesize) and @smb[1] < 0x10000 and !smb[1] > 20
                and (2 of ($mutex, $b64, $url) or 50% of them)
                and for any i in (0..pe.number_of_sections - 1) : ( pe.sections[i].name == ".text" and math.entropy(pe.sections[i].raw_data_offset, pe.sections[i].raw_data_size) >= 7.2 )
                and for all of ($ext*) : ( # < 100 and @[1] > 0 and $ )
        }

        private rule Helper_IsPe { condition: uint16(0) == 0x5A4D }

        global rule Second_Rule
        {
            strings:
                $ = "anonymous one"
                $ = { 6A 40 68 00 30 00 00 }
            condition:
                Helper_IsPe and all of them and not defined pe.dll_name
        }
        """;

    private static RuleValidation Check(string text) => DetectionRules.Validate(DetectionRuleKind.Yara, text);

    [Fact]
    public void A_realistic_rule_file_is_valid()
    {
        var result = Check(WannaCryLike);
        result.Errors.Should().BeEmpty();
        result.Warnings.Should().BeEmpty();
        result.Title.Should().Be("Ransom_WormDropper_Like");
        result.Id.Should().Be("Ransom_WormDropper_Like");
        DetectionRules.Detect(WannaCryLike).Should().Be(DetectionRuleKind.Yara);
    }

    [Theory]
    [InlineData("(any of ($ext*) or", "(any of ($ext*) or $ext9 or", "undefined string $ext9")]
    [InlineData("#mutex > 1", "#nothere > 1", "undefined string #nothere")]
    [InlineData("(any of ($ext*)", "(any of ($zzz*)", "no string in this rule matches $zzz*")]
    [InlineData("$ext2 = \".wnry\" fullword", "$ext1 = \".wnry\" fullword", "duplicate string identifier $ext1")]
    [InlineData("rule Second_Rule", "rule Ransom_WormDropper_Like", "duplicate rule name 'Ransom_WormDropper_Like'")]
    [InlineData("import \"pe\"\n", "", "module 'pe' is used but not imported")]
    [InlineData("import \"pe\"\n", "include \"common.yar\"\nimport \"pe\"\n", "include \"common.yar\" cannot be resolved for a stored rule")]
    [InlineData("( 01 | 02 03 | ~04 )", "( 01 | | 04 )", "empty alternative in hex string")]
    [InlineData("[2-4]", "[4-2]", "jump [4-2] has its low bound above its high bound")]
    [InlineData("C0 [2-4]", "C0 [2-]", "")]
    [InlineData("00 00 00 ?? FF", "[2] 00 00 ?? FF", "a hex string cannot start or end with a jump")]
    [InlineData("4? ?D }", "4? ?D 5 }", "half a byte")]
    [InlineData("( 01 | 02 03 | ~04 )", "( 01 | 02 [1-] 03 )", "unbounded jumps are not allowed inside alternatives")]
    [InlineData("( 01 | 02 03 | ~04 )", "( 01 | GG )", "unexpected 'G' in hex string")]
    [InlineData("xor(1-255)", "xor(1-256)", "xor key on $cmd must be from 0 to 255")]
    [InlineData("\" nocase\n", "\" nocase xor\n", "'xor' and 'nocase' cannot be combined")]
    [InlineData("ascii wide", "ascii wide widee", "unknown string modifier 'widee' on $mutex")]
    [InlineData("4? ?D }", "4? ?D } nocase", "modifier 'nocase' cannot be used with hex strings")]
    [InlineData("condition:\n        uint16(0)", "\n        uint16(0)", "unknown string modifier 'uint16' on $_note (or a missing 'condition:' section)")]
    [InlineData("filesize < 10MB and", "filesize < 10MB and and", "'and' cannot start an expression here")]
    [InlineData("pe.number_of_sections > 3", "pe.number_of_sections > 3)", "expected '}', found ')'")]
    [InlineData("for all of ($ext*) : ( # < 100 and @[1] > 0 and $ )", "# < 100", "an anonymous '#' can only be used inside 'for ... of")]
    [InlineData("Helper_IsPe and", "Later_Rule and", "")]
    [InlineData("author = \"CERT-XX\"", "author = 1.5", "a meta value must be a quoted text, an integer, true or false")]
    [InlineData("rule Ransom_WormDropper_Like", "rule condition", "'condition' is a YARA keyword and cannot be a rule name")]
    [InlineData(": ransomware worm", ": ransomware worm ransomware", "duplicate tag 'ransomware'")]
    public void A_broken_rule_is_refused_with_a_precise_message(string from, string to, string expected)
    {
        WannaCryLike.Should().Contain(from);
        var result = Check(WannaCryLike.Replace(from, to, StringComparison.Ordinal));
        if (expected.Length == 0)
        {
            // Cases YARA accepts (an unbounded jump outside alternatives; an unknown name read as an external variable).
            result.Errors.Should().BeEmpty();
            return;
        }

        result.IsValid.Should().BeFalse();
        result.Errors.Should().Contain(e => e.Message.Contains(expected, StringComparison.Ordinal), string.Join("\n", result.Errors));
    }

    [Fact]
    public void Findings_carry_line_and_column()
    {
        var result = Check("rule a {\n  strings:\n    $x = \"one\"\n  condition:\n    $y\n}");
        result.Errors.Select(e => e.ToString()).Should().Equal(
            "5:5: undefined string $y: this rule defines no $y.",
            "3:5: string $x is defined but never used in the condition (YARA refuses unreferenced strings; from YARA 4.5 a name starting with $_ is exempt).");

        var hex = Check("rule h {\n  strings:\n    $h = { 4D 5A\n           90 0 }\n  condition:\n    $h\n}");
        hex.Errors.Should().ContainSingle().Which.Should().Be(new RuleProblem(4, 15, "half a byte: hex digits come in pairs (write 0A, not A)."));
    }

    [Theory]
    [InlineData("rule a { strings: $a = \"open condition: $a }", "unterminated text string", 1, 24)]
    [InlineData("rule a { condition: true } /* trailing", "unterminated comment", 1, 28)]
    [InlineData("rule a { strings: $h = { 4D 5A", "unterminated hex string", 1, 24)]
    [InlineData("rule a { strings: $r = /abc condition: $r }", "unterminated regular expression", 1, 24)]
    [InlineData("rule a { strings: $r = /ab(c/ condition: $r }", "'(' never closed in regular expression", 1, 24)]
    [InlineData("rule a { strings: $r = /*abc/ condition: $r }", "unterminated comment", 1, 24)]
    [InlineData("rule a { strings: $r = /+abc/ condition: $r }", "'+' in regular expression has nothing to repeat", 1, 25)]
    [InlineData("rule a { strings: $r = /abc/x condition: $r }", "unknown regular expression modifier 'x'", 1, 29)]
    [InlineData("rule a { strings: $t = \"bad \\q escape\" condition: $t }", "unknown escape '\\q'", 1, 29)]
    [InlineData("rule a { strings: $t = \"\" condition: $t }", "$t is an empty text string", 1, 24)]
    [InlineData("rule a { condition: uint16 == 1 }", "must be called: uint16(offset)", 1, 21)]
    [InlineData("rule a { condition: any of them }", "'them' refers to the rule's strings, but it defines none", 1, 28)]
    [InlineData("rule a { condition: true }\nrule b { condition: x of them }", "rule's strings", 2, 26)]
    [InlineData("rule a { condition: 99999999999999999999 }", "too large for a 64-bit integer", 1, 21)]
    [InlineData("rule a { condition: true } garbage", "expected 'rule', 'import' or 'include', found 'garbage'", 1, 28)]
    [InlineData("rule a { condition: true ", "expected '}', found the end of the text", 1, 26)]
    [InlineData("rule a { condition: for any i in (1..3) : ( for any i in (1..2) : ( i ) ) }", "loop variable 'i' is already defined", 1, 53)]
    [InlineData("// only a comment", "no rule found", 1, 1)]
    public void Malformed_text_is_refused_at_the_right_place(string text, string expected, int line, int column)
    {
        var result = Check(text);
        result.Errors.Should().Contain(e => e.Message.Contains(expected, StringComparison.Ordinal) && e.Line == line && e.Column == column,
            string.Join("\n", result.Errors));
    }

    [Fact]
    public void Strings_named_with_an_underscore_may_stay_unreferenced()
    {
        Check("rule a { strings: $note = \"x\" $_kept = \"y\" condition: $note }").Errors.Should().BeEmpty();
        Check("rule a { strings: $note = \"x\" $kept = \"y\" condition: $note }").Errors.Should().ContainSingle()
            .Which.Message.Should().StartWith("string $kept is defined but never used");
    }

    [Fact]
    public void A_syntax_error_in_one_rule_does_not_hide_the_next()
    {
        var result = Check("rule a { condition: ( }\nrule b { strings: $x = \"x\" condition: $y }\nrule c { condition: true }");
        result.Errors.Should().HaveCount(3);
        result.Errors.Select(e => e.Line).Should().Equal(1, 2, 2);
        result.Title.Should().Be("a");
    }

    [Fact]
    public void External_variables_and_unknown_modules_are_warnings()
    {
        var result = Check("import \"custom\"\nrule a { condition: filename matches /\\.exe$/i and custom.flag }");
        result.Errors.Should().BeEmpty();
        result.Warnings.Select(w => w.Message).Should().Contain(m => m.Contains("module \"custom\" is not one of YARA's standard modules"))
            .And.Contain(m => m.Contains("'filename' is not a rule defined earlier"));
    }

    [Fact]
    public void Hostile_input_is_refused_quickly_without_crashing()
    {
        var deep = "rule a { condition: " + new string('(', 10_000) + "true" + new string(')', 10_000) + " }";
        Check(deep).Errors.Should().ContainSingle(e => e.Message.Contains("nested deeper than 128"));

        var nots = "rule a { condition: " + string.Concat(Enumerable.Repeat("not ", 50_000)) + "true }";
        Check(nots).Errors.Should().ContainSingle(e => e.Message.Contains("nested deeper than 128"));

        var hexNest = "rule a { strings: $h = { 01 " + new string('(', 100) + "02" + new string(')', 100) + " } condition: $h }";
        Check(hexNest).Errors.Should().ContainSingle(e => e.Message.Contains("nested deeper than 16"));

        var loops = "rule a { condition: " + string.Concat(Enumerable.Range(0, 5).Select(i => $"for any v{i} in (1..2) : ( ")) + "true" + new string(')', 5) + " }";
        Check(loops).Errors.Should().ContainSingle(e => e.Message.Contains("'for' loops nested deeper than 4"));

        var many = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            many.Append("rule r").Append(i).Append(" { strings: $a = \"x\" condition: $b }\n");
        }

        var watch = Stopwatch.StartNew();
        var result = Check(many.ToString());
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        result.Errors.Should().HaveCount(RuleReportCap + 1);
        result.Errors[^1].Message.Should().Contain("the rest are not listed");
    }

    private const int RuleReportCap = 100;

    [Fact]
    public void Random_and_truncated_input_never_throws()
    {
        var random = new Random(4_2017);
        for (var i = 0; i < 500; i++)
        {
            var cut = WannaCryLike[..random.Next(WannaCryLike.Length)];
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            var noise = Encoding.Latin1.GetString(bytes).Replace('\0', ' ');
            Check(cut).Should().NotBeNull();
            Check(noise).IsValid.Should().BeFalse();
            Check(WannaCryLike.Insert(random.Next(WannaCryLike.Length), noise)).Should().NotBeNull();
        }
    }
}
