using System.Diagnostics;
using Ribat.Forensics.Detection;
using static Ribat.Forensics.Tests.Detection.SigmaTestRules;

namespace Ribat.Forensics.Tests.Detection;

/// <summary>Damaged and hostile rule text: a precise reason every time, never an exception, never a stall.</summary>
public class SigmaHostileRuleTests
{
    private const string Alphabet = "|*?\\:-'\"[]{}()&! \n\tx0%";

    [Theory]
    [InlineData("", "empty")]
    [InlineData("title: [unclosed", "not valid YAML")]
    [InlineData("- a\n- b", "YAML mapping")]
    [InlineData("title: t\nlogsource: {product: windows}\ndetection: [1, 2]", "detection must be a mapping")]
    [InlineData("title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    a: {b: c}\n  condition: sel", "not a mapping")]
    [InlineData("title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    a: 1\n  condition: sel and", "condition")]
    [InlineData("title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    a|nope: 1\n  condition: sel", "unknown modifier")]
    [InlineData("title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    a|re: '(unclosed'\n  condition: sel", "regular expression")]
    public void Malformed_rules_are_refused_with_a_reason(string text, string reason) =>
        Refusal(text).Should().Contain(reason);

    [Fact]
    public void A_deeply_nested_condition_is_refused_not_recursed_into()
    {
        var condition = new string('(', 5000) + "sel" + new string(')', 5000);
        Refusal(ProcessRule($"sel:\n    Image: x\ncondition: '{condition}'")).Should().Contain("nested deeper");
    }

    [Fact]
    public void A_rule_holding_too_many_values_is_refused()
    {
        // 1,000 values, each with three switches: 125 windash forms apiece.
        var values = string.Join("\n", Enumerable.Range(0, 1_000).Select(i => $"        - ' -a{i} -b -c'"));
        Refusal(ProcessRule($"sel:\n    CommandLine|windash|contains:\n{values}\ncondition: sel")).Should().Contain("more than 100,000 values");
    }

    [Fact]
    public void A_windash_value_with_too_many_switches_is_refused()
    {
        Refusal(ProcessRule("sel:\n    CommandLine|windash: ' -a -b -c -d -e'\ncondition: sel")).Should().Contain("more than 1024");
    }

    [Fact]
    public void An_alias_bomb_is_refused()
    {
        var text = "title: t\nlogsource: {product: windows}\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + string.Concat(Enumerable.Range(1, 8).Select(i => $"{(char)('a' + i)}: &{(char)('a' + i)} [*{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}, *{(char)('a' + i - 1)}]\n"))
            + "detection:\n  sel:\n    a: 1\n  condition: sel\n";
        Refusal(text).Should().Contain("alias");
    }

    [Fact]
    public void A_catastrophic_regex_cannot_stall_matching()
    {
        // Nested quantifiers run on the linear engine; a back-reference forces the backtracking one, under the timeout.
        var linear = ProcessRule(@"sel:
    CommandLine|re: '^(a+)+$'
condition: sel");
        var backtracking = ProcessRule(@"sel:
    CommandLine|re: '^(a|aa)+\1b$'
condition: sel");
        var value = new string('a', 5000) + "!";
        var clock = Stopwatch.StartNew();
        Fires(linear, Process(("CommandLine", value))).Should().BeFalse();
        Fires(backtracking, Process(("CommandLine", value))).Should().BeFalse();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Mutated_published_rules_never_throw()
    {
        var random = new Random(1234);
        var files = Directory.EnumerateFiles(SharedCorpus.Path("sigma", "rules", "windows", "process_creation"), "*.yml").Order(StringComparer.Ordinal).Take(150).ToList();
        var loaded = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            for (var round = 0; round < 8; round++)
            {
                var chars = text.ToCharArray();
                var edits = 1 + random.Next(6);
                for (var e = 0; e < edits; e++)
                {
                    chars[random.Next(chars.Length)] = Alphabet[random.Next(Alphabet.Length)];
                }

                var mutated = random.Next(4) == 0 ? new string(chars, 0, random.Next(chars.Length)) : new string(chars);
                if (SigmaRuleReader.TryRead(mutated, file, SigmaEngineOptions.Default, out var rule, out _, out var reason))
                {
                    var scanner = new SigmaRuleSet([rule!]).CreateScanner();
                    scanner.Match(Process(("CommandLine", "powershell -enc AAAA"), ("Image", @"C:\x.exe")), []);
                    loaded++;
                }
                else
                {
                    reason.Should().NotBeNullOrWhiteSpace();
                }
            }
        }

        loaded.Should().BeGreaterThan(0, "some mutations leave a valid rule, which must then match without throwing");
    }
}
