using Ribat.Forensics.Detection;

namespace Ribat.Forensics.Tests.Detection;

public class DetectionRulesTests
{
    [Theory]
    [InlineData("rule demo { condition: true }", DetectionRuleKind.Yara)]
    [InlineData("import \"pe\"\nrule demo\n{\n  condition:\n    pe.is_dll()\n}", DetectionRuleKind.Yara)]
    [InlineData("title: Demo\nlogsource:\n  product: windows\ndetection:\n  sel:\n    EventID: 1\n  condition: sel\n", DetectionRuleKind.Sigma)]
    [InlineData("# comment\nalert tcp any any -> any any (msg:\"demo\"; sid:1;)", DetectionRuleKind.Suricata)]
    [InlineData("drop http $HOME_NET any -> any any (msg:\"demo\"; sid:1;)", DetectionRuleKind.Suricata)]
    [InlineData("sdrop tcp any any -> any 23 (msg:\"demo\"; sid:1;)", DetectionRuleKind.Snort)]
    public void Detect_recognises_each_language_by_shape(string text, DetectionRuleKind kind)
    {
        DetectionRules.Detect(text).Should().Be(kind);
        DetectionRules.Validate(kind, text).Errors.Should().BeEmpty();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("The actor used alert tcp scanning (as reported) and a rule of thumb.")]
    [InlineData("title: only a title")]
    public void Detect_answers_null_for_text_that_is_no_rule(string? text)
    {
        DetectionRules.Detect(text).Should().BeNull();
    }

    [Theory]
    [InlineData(DetectionRuleKind.Sigma)]
    [InlineData(DetectionRuleKind.Yara)]
    [InlineData(DetectionRuleKind.Suricata)]
    [InlineData(DetectionRuleKind.Snort)]
    public void Oversized_empty_and_binary_text_is_refused_before_parsing(DetectionRuleKind kind)
    {
        var huge = DetectionRules.Validate(kind, new string('a', DetectionRules.MaxBytes + 1));
        huge.Errors.Should().ContainSingle().Which.Should().Be(new RuleProblem(0, 0, "the rule text is larger than 1 MB; split it into smaller rules."));
        huge.Kind.Should().Be(kind);

        // Counted in UTF-8 bytes: 600,000 two-byte characters are 1.2 MB.
        DetectionRules.Validate(kind, new string('é', 600_000)).Errors.Should().ContainSingle(e => e.Message.Contains("larger than 1 MB"));
        DetectionRules.Validate(kind, " \n\t").Errors.Should().ContainSingle(e => e.Message == "the rule text is empty.");
        DetectionRules.Validate(kind, null).IsValid.Should().BeFalse();
        DetectionRules.Validate(kind, "MZ\0\0\u0003PE").Errors.Should().ContainSingle(e => e.Message.Contains("binary data"));
    }

    [Fact]
    public void An_unknown_kind_is_an_error_not_an_exception()
    {
        DetectionRules.Validate((DetectionRuleKind)42, "rule a { condition: true }").Errors.Should().ContainSingle(e => e.Message == "unknown rule kind 42.");
    }
}
