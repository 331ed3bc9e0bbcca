using Ribat.Forensics.Detection;
using static Ribat.Forensics.Tests.Detection.SigmaTestRules;

namespace Ribat.Forensics.Tests.Detection;

public class SigmaConditionEvaluationTests
{
    private const string Searches = """
        sel_a:
            CommandLine|contains: 'alpha'
        sel_b:
            CommandLine|contains: 'beta'
        filter_c:
            CommandLine|contains: 'gamma'
        """;

    private static bool Holds(string condition, string commandLine) =>
        Fires(ProcessRule(Searches + "\ncondition: " + condition), Process(("CommandLine", commandLine)));

    [Theory]
    [InlineData("sel_a or sel_b and filter_c", "alpha", true)]
    [InlineData("sel_a or sel_b and filter_c", "beta", false)]
    [InlineData("(sel_a or sel_b) and filter_c", "alpha", false)]
    [InlineData("(sel_a or sel_b) and filter_c", "alpha gamma", true)]
    [InlineData("not sel_a and sel_b", "beta", true)]
    [InlineData("not sel_a and sel_b", "alpha beta", false)]
    [InlineData("not (sel_a and sel_b)", "alpha beta", false)]
    [InlineData("NOT sel_a AND sel_b", "beta", true)]
    [InlineData("1 of sel_*", "beta", true)]
    [InlineData("all of sel_*", "beta", false)]
    [InlineData("all of sel_*", "alpha beta", true)]
    [InlineData("1 of sel_* and not 1 of filter_*", "alpha gamma", false)]
    [InlineData("1 of them", "gamma", true)]
    [InlineData("all of them", "alpha beta", false)]
    [InlineData("all of them", "alpha beta gamma", true)]
    [InlineData("any of sel_*", "alpha", true)]
    [InlineData("sel_*", "beta", true)]
    public void Conditions_follow_sigma_precedence(string condition, string commandLine, bool fires) =>
        Holds(condition, commandLine).Should().Be(fires);

    [Fact]
    public void A_list_of_field_maps_is_an_alternative_and_a_map_requires_every_field()
    {
        var rule = ProcessRule("""
            selection:
                - Image|endswith: '\a.exe'
                  CommandLine|contains: 'x'
                - Image|endswith: '\b.exe'
            condition: selection
            """);
        Fires(rule, Process(("Image", @"C:\a.exe"), ("CommandLine", "x"))).Should().BeTrue();
        Fires(rule, Process(("Image", @"C:\a.exe"), ("CommandLine", "y"))).Should().BeFalse();
        Fires(rule, Process(("Image", @"C:\b.exe"), ("CommandLine", "y"))).Should().BeTrue();
    }

    [Fact]
    public void A_list_of_conditions_fires_when_any_holds()
    {
        var rule = ProcessRule(Searches + "\ncondition:\n    - sel_a and sel_b\n    - filter_c");
        Fires(rule, Process(("CommandLine", "gamma"))).Should().BeTrue();
        Fires(rule, Process(("CommandLine", "alpha"))).Should().BeFalse();
    }

    [Fact]
    public void A_detection_carries_the_rule_metadata_and_the_event()
    {
        var rule = Load(ProcessRule(Searches + "\ncondition: sel_a"));
        var set = new SigmaRuleSet([rule]);
        var logEvent = Process(("CommandLine", "alpha"));
        var detections = new List<SigmaDetection>();
        set.CreateScanner().Match(logEvent, detections);
        var detection = detections.Should().ContainSingle().Subject;
        detection.RuleId.Should().Be("5d3c6a9e-1b8f-4c1e-9b0a-3f3e2d1c0b01");
        detection.Title.Should().Be("Test rule");
        detection.Level.Should().Be("high");
        detection.Tags.Should().Equal("attack.execution");
        detection.Event.Should().BeSameAs(logEvent);
        detection.IsCorrelation.Should().BeFalse();
    }
}
