using System.Diagnostics;
using System.Text;
using Ribat.Forensics.Detection;

namespace Ribat.Forensics.Tests.Detection;

public class SigmaValidationTests
{
    private const string Valid = """
        title: Suspicious Encoded PowerShell From Office
        id: 5b0a6a8e-2f4c-4c1e-9a53-6f3e8d2c9b11
        status: experimental
        description: An Office application starts PowerShell with an encoded command.
        author: CERT-XX
        date: 2026-03-12
        tags:
            - attack.execution
            - attack.t1059.001
        logsource:
            category: process_creation
            product: windows
        detection:
            selection_parent:
                ParentImage|endswith:
                    - '\winword.exe'
                    - '\excel.exe'
            selection_child:
                Image|endswith: '\powershell.exe'
                CommandLine|contains|windash: '-enc'
            filter_main_signed:
                CommandLine|re|i: '^"?c:\\program files\\'
            condition: all of selection_* and not 1 of filter_main_*
        falsepositives:
            - Administrative scripts started from Office add-ins
        level: high
        """;

    private static RuleValidation Check(string text) => DetectionRules.Validate(DetectionRuleKind.Sigma, text);

    private static string With(string from, string to)
    {
        Valid.Should().Contain(from);
        return Valid.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_rule_is_valid_with_its_title_and_id()
    {
        var result = Check(Valid);
        result.Errors.Should().BeEmpty();
        result.Warnings.Should().BeEmpty();
        result.IsValid.Should().BeTrue();
        result.Kind.Should().Be(DetectionRuleKind.Sigma);
        result.Title.Should().Be("Suspicious Encoded PowerShell From Office");
        result.Id.Should().Be("5b0a6a8e-2f4c-4c1e-9a53-6f3e8d2c9b11");
        DetectionRules.Detect(Valid).Should().Be(DetectionRuleKind.Sigma);
    }

    [Theory]
    [InlineData("title: Suspicious Encoded PowerShell From Office\n", "", "missing 'title'")]
    [InlineData("id: 5b0a6a8e-2f4c-4c1e-9a53-6f3e8d2c9b11", "id: 5b0a6a8e", "id '5b0a6a8e' is not a UUID")]
    [InlineData("level: high", "level: severe", "level 'severe' is not one of critical, high, informational, low, medium")]
    [InlineData("status: experimental", "status: beta", "status 'beta' is not one of")]
    [InlineData("    category: process_creation\n    product: windows", "    definition: sysmon", "logsource needs at least one of 'category', 'product' or 'service'")]
    [InlineData("    condition: all of selection_* and not 1 of filter_main_*", "    timeframe: 5m", "detection has no 'condition'")]
    [InlineData("all of selection_* and not", "selection_parent and selection_child and not filter_typo and not", "'filter_typo' is not a search identifier")]
    [InlineData("not 1 of filter_main_*", "not 1 of filter_optional_*", "the pattern 'filter_optional_*' matches no search identifier")]
    [InlineData("all of selection_* and", "(all of selection_* and", "'(' is never closed")]
    [InlineData("all of selection_* and", "2 of selection_* and", "'2 of' is not Sigma")]
    [InlineData("not 1 of filter_main_*", "not 1 of filter_main_* | count() > 5", "aggregations after '|'")]
    [InlineData("all of selection_* and", "all of selection_* selection_parent and", "unexpected 'selection_parent' after a complete expression")]
    [InlineData("Image|endswith:", "Image|endwith:", "unknown modifier 'endwith' in 'Image|endwith'")]
    [InlineData("CommandLine|re|i:", "CommandLine|contains|i:", "the regex flags i, m and s need the 're' modifier")]
    [InlineData("    - attack.execution\n    - attack.t1059.001", "    attack: execution", "'tags' must be a list")]
    [InlineData("tags:\n    - attack.execution\n    - attack.t1059.001", "tags: attack.execution", "'tags' must be a list")]
    [InlineData("Image|endswith: '\\powershell.exe'", "Image|exists: maybe", "'exists' takes true or false")]
    [InlineData("Image|endswith: '\\powershell.exe'", "DestinationIp|cidr: 10.0.0.300/8", "not a valid IPv4 address")]
    [InlineData("Image|endswith: '\\powershell.exe'", "EventID|gte: ten", "comparison modifiers take a number")]
    [InlineData("Image|endswith: '\\powershell.exe'", "Image|endswith:\n            Nested: mapping", "must be a value or a list of values, not a mapping")]
    [InlineData("title: Suspicious Encoded PowerShell From Office", "title: [a, list]", "'title' must be a non-empty text value")]
    public void A_broken_rule_is_refused_with_a_precise_message(string from, string to, string expected)
    {
        var result = Check(With(from, to));
        result.IsValid.Should().BeFalse();
        result.Errors.Should().Contain(e => e.Message.Contains(expected, StringComparison.Ordinal), string.Join("\n", result.Errors));
    }

    [Fact]
    public void Findings_carry_the_line_and_column_of_the_offending_text()
    {
        var result = Check(With("Image|endswith:", "Image|endwith:"));
        result.Errors.Select(e => (e.Line, e.Column)).Should().Equal((15, 9), (19, 9));
        result.Errors[1].ToString().Should().Be("19:9: unknown modifier 'endwith' in 'Image|endwith'.");

        var condition = Check(With("not 1 of filter_main_*", "not 1 of filter_main_* or nothing_here")).Errors.Single();
        condition.Line.Should().Be(23);
        condition.Column.Should().Be(Valid.Split('\n')[22].IndexOf("all of", StringComparison.Ordinal) + 1 + "all of selection_* and not 1 of filter_main_* or ".Length);
    }

    [Fact]
    public void Unused_identifiers_and_odd_tags_are_warnings_not_errors()
    {
        var result = Check(With("not 1 of filter_main_*", "not selection_parent").Replace("attack.execution", "Attack Execution", StringComparison.Ordinal));
        result.IsValid.Should().BeTrue();
        result.Warnings.Select(w => w.Message).Should().Contain(m => m.Contains("'filter_main_signed' is never used"))
            .And.Contain(m => m.Contains("tag 'Attack Execution'"));
    }

    [Fact]
    public void Every_defined_modifier_is_accepted()
    {
        foreach (var modifier in new[] { "contains|all", "startswith|cased", "base64offset|contains", "utf16le|base64", "wide|base64offset|contains", "expand", "fieldref", "neq", "re|m|s" })
        {
            Check(With("Image|endswith:", $"Image|{modifier}:")).Errors.Should().BeEmpty(modifier);
        }

        Check(With("Image|endswith: '\\powershell.exe'", "EventID|gte: 4624")).Errors.Should().BeEmpty();
        Check(With("Image|endswith: '\\powershell.exe'", "Image|exists: true")).Errors.Should().BeEmpty();
        Check(With("Image|endswith: '\\powershell.exe'", "DestinationIp|cidr: 2001:db8::/32")).Errors.Should().BeEmpty();
    }

    [Fact]
    public void Condition_grammar_accepts_nesting_keywords_lists_and_them()
    {
        Check(With("all of selection_* and not 1 of filter_main_*", "(selection_parent OR selection_child) and NOT (filter_main_signed)")).Errors.Should().BeEmpty();
        Check(With("all of selection_* and not 1 of filter_main_*", "all of them")).Errors.Should().BeEmpty();
        Check(With("all of selection_* and not 1 of filter_main_*", "any of selection* and not filter_main_signed")).Errors.Should().BeEmpty();
        Check(With("    condition: all of selection_* and not 1 of filter_main_*", "    condition:\n        - selection_parent\n        - selection_child and not filter_main_signed")).Errors.Should().BeEmpty();
        Check(With("all of selection_* and not 1 of filter_main_*", new string('(', 100) + "selection_parent" + new string(')', 100)))
            .Errors.Should().ContainSingle(e => e.Message.Contains("nested deeper than 64"));
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        var result = Check(With("    product: windows", "    product: windows\n    product: linux"));
        result.Errors.Should().ContainSingle(e => e.Message.Contains("duplicate key 'product'") && e.Line == 13);
    }

    [Fact]
    public void Tab_indentation_is_refused_as_invalid_yaml()
    {
        var result = Check(Valid.Replace("\n    category", "\n\tcategory", StringComparison.Ordinal));
        result.Errors.Should().ContainSingle(e => e.Message.StartsWith("not valid YAML", StringComparison.Ordinal) && e.Line > 0);
    }

    [Fact]
    public void A_billion_laughs_document_is_refused_quickly_without_expanding()
    {
        var bomb = new StringBuilder("title: lol\nlogsource: {product: windows}\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 10; i++)
        {
            bomb.Append($"a{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10)).Append("]\n");
        }

        bomb.Append("detection: {selection: {Image: x}, condition: selection}\n");
        var watch = Stopwatch.StartNew();
        var result = Check(bomb.ToString());
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        result.Errors.Should().ContainSingle(e => e.Message.Contains("alias bomb"));
    }

    [Fact]
    public void Too_many_aliases_and_undefined_aliases_are_refused()
    {
        var many = "title: x\nbase: &b small\nlist: [" + string.Join(", ", Enumerable.Repeat("*b", 101)) + "]\n";
        Check(many).Errors.Should().ContainSingle(e => e.Message.Contains("more than 100 YAML aliases"));
        Check("title: *nowhere\n").Errors.Should().ContainSingle(e => e.Message.Contains("'*nowhere' refers to no anchor"));
    }

    [Theory]
    [InlineData("", "the rule text is empty")]
    [InlineData("just a line of prose", "YAML mapping of keys")]
    [InlineData("- a\n- list", "YAML mapping of keys")]
    [InlineData("title: one\n---\ntitle: two\n", "more than one YAML document")]
    [InlineData("title: [unclosed\n", "not valid YAML")]
    [InlineData("title: 'unterminated\n", "not valid YAML")]
    [InlineData("\0\u0001\u0002ELF", "binary data")]
    public void Hostile_or_malformed_text_gets_a_clear_error(string text, string expected)
    {
        Check(text).Errors.Should().Contain(e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Deep_nesting_and_huge_input_are_refused()
    {
        var deep = "title: x\nd: " + new string('[', 5000) + new string(']', 5000) + "\n";
        Check(deep).Errors.Should().Contain(e => e.Message.Contains("nested deeper than 64"));

        var huge = Valid + "\n# " + new string('x', DetectionRules.MaxBytes);
        Check(huge).Errors.Should().ContainSingle(e => e.Message.Contains("larger than 1 MB") && e.Line == 0);
    }

    [Fact]
    public void Random_and_truncated_input_never_throws()
    {
        var random = new Random(20260312);
        for (var i = 0; i < 300; i++)
        {
            var cut = Valid[..random.Next(Valid.Length)];
            var bytes = new byte[random.Next(1, 200)];
            random.NextBytes(bytes);
            var noise = Encoding.Latin1.GetString(bytes).Replace('\0', ' ');
            Check(cut).Should().NotBeNull();
            Check(noise).Should().NotBeNull();
            Check(Valid.Insert(random.Next(Valid.Length), noise)).Should().NotBeNull();
        }
    }
}
