using Ribat.Forensics.Detection;
using Ribat.Forensics.Logs;
using static Ribat.Forensics.Tests.Detection.SigmaTestRules;

namespace Ribat.Forensics.Tests.Detection;

public class SigmaCorrelationTests
{
    private const string FailedLogon = """
        title: Failed logon
        id: 0e95725d-7320-415d-80f7-004da920fc11
        name: failed_logon
        logsource:
            product: windows
            service: security
        detection:
            selection:
                EventID: 4625
            condition: selection
        """;

    private const string SuccessfulLogon = """
        title: Successful logon
        id: 0e95725d-7320-415d-80f7-004da920fc12
        name: successful_logon
        logsource:
            product: windows
            service: security
        detection:
            selection:
                EventID: 4624
            condition: selection
        """;

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static LogEvent Logon(int eventId, int minute, string user, string ip = "10.0.0.1") =>
        Event("Security", eventId, Start.AddMinutes(minute), ("TargetUserName", user), ("IpAddress", ip));

    private static List<SigmaDetection> Run(string correlation, params LogEvent[] events)
    {
        var rules = new[] { Load(FailedLogon), Load(SuccessfulLogon) };
        SigmaRuleReader.TryRead(correlation, "c.yml", SigmaEngineOptions.Default, out _, out var rule, out var reason).Should().BeTrue(reason);
        var correlator = new SigmaCorrelator([rule!], rules);
        correlator.Failures.Should().BeEmpty();
        var scanner = new SigmaRuleSet(rules).CreateScanner();
        var output = new List<SigmaDetection>();
        var found = new List<SigmaDetection>();
        foreach (var logEvent in events)
        {
            scanner.Match(logEvent, found);
            foreach (var detection in found)
            {
                correlator.Feed(detection, output);
            }

            found.Clear();
        }

        correlator.Flush(output);
        return output;
    }

    private static string Correlation(string body) => $"""
        title: Correlated
        id: 6a2c1d4e-0000-4000-8000-000000000001
        correlation:
        {string.Join("\n", body.Split('\n').Select(l => "    " + l))}
        level: high
        """;

    [Fact]
    public void Event_count_fires_once_the_threshold_is_reached_within_the_span_per_group()
    {
        var rule = Correlation("""
            type: event_count
            rules:
                - failed_logon
            group-by:
                - TargetUserName
            timespan: 10m
            condition:
                gte: 3
            """);
        var fired = Run(rule, Logon(4625, 0, "bob"), Logon(4625, 1, "alice"), Logon(4625, 2, "bob"), Logon(4625, 3, "bob"), Logon(4625, 4, "alice"));
        var detection = fired.Should().ContainSingle().Subject;
        detection.GroupKey.Should().Be("bob");
        detection.EventCount.Should().Be(3);
        detection.Events!.Should().HaveCount(3);
        detection.IsCorrelation.Should().BeTrue();
        Run(rule, Logon(4625, 0, "bob"), Logon(4625, 11, "bob"), Logon(4625, 22, "bob")).Should().BeEmpty("no three fall within ten minutes");
    }

    [Fact]
    public void Value_count_counts_distinct_values_of_the_field()
    {
        var rule = Correlation("""
            type: value_count
            rules:
                - 0e95725d-7320-415d-80f7-004da920fc11
            group-by:
                - IpAddress
            timespan: 1h
            condition:
                gt: 2
                field: TargetUserName
            """);
        Run(rule, Logon(4625, 0, "a"), Logon(4625, 1, "a"), Logon(4625, 2, "b"), Logon(4625, 3, "b")).Should().BeEmpty();
        Run(rule, Logon(4625, 0, "a"), Logon(4625, 1, "b"), Logon(4625, 2, "c")).Should().ContainSingle().Which.GroupKey.Should().Be("10.0.0.1");
    }

    [Fact]
    public void Temporal_needs_every_rule_within_the_span_in_any_order_and_ordered_in_order()
    {
        var body = """
            rules:
                - failed_logon
                - successful_logon
            group-by:
                - TargetUserName
            timespan: 5m
            """;
        Run(Correlation("type: temporal\n" + body), Logon(4624, 0, "bob"), Logon(4625, 1, "bob")).Should().ContainSingle();
        Run(Correlation("type: temporal\n" + body), Logon(4624, 0, "bob"), Logon(4625, 1, "eve")).Should().BeEmpty();
        Run(Correlation("type: temporal\n" + body), Logon(4624, 0, "bob"), Logon(4625, 9, "bob")).Should().BeEmpty();
        Run(Correlation("type: temporal_ordered\n" + body), Logon(4624, 0, "bob"), Logon(4625, 1, "bob")).Should().BeEmpty("success came first");
        Run(Correlation("type: temporal_ordered\n" + body), Logon(4625, 0, "bob"), Logon(4624, 1, "bob")).Should().ContainSingle();
    }

    [Fact]
    public void Upper_bounds_are_judged_when_the_window_closes()
    {
        var rule = Correlation("""
            type: event_count
            rules:
                - failed_logon
            timespan: 10m
            condition:
                lt: 2
            """);
        var fired = Run(rule, Logon(4625, 0, "a"), Logon(4625, 30, "b"), Logon(4625, 31, "c"));
        fired.Should().ContainSingle("the first window held one event, the second two").Which.EventCount.Should().Be(1);
    }

    [Fact]
    public void Correlations_name_what_is_wrong_with_them()
    {
        string Why(string body)
        {
            SigmaRuleReader.TryRead(Correlation(body), "c.yml", SigmaEngineOptions.Default, out _, out _, out var reason).Should().BeFalse();
            return reason;
        }

        Why("type: bogus\nrules: [a]\ntimespan: 1h\ncondition: {gte: 1}").Should().Contain("bogus");
        Why("type: event_count\nrules: [a]\ntimespan: 1 hour\ncondition: {gte: 1}").Should().Contain("timespan");
        Why("type: value_count\nrules: [a]\ntimespan: 1h\ncondition: {gte: 1}").Should().Contain("field");
        Why("type: event_count\nrules: [a]\ntimespan: 1h\ncondition: {gte: 1, lt: 4}").Should().Contain("exactly one");
        Why("type: event_count\ntimespan: 1h\ncondition: {gte: 1}").Should().Contain("rules");

        SigmaRuleReader.TryRead(Correlation("type: event_count\nrules: [nowhere]\ntimespan: 1h\ncondition: {gte: 1}"), "c.yml", SigmaEngineOptions.Default,
            out _, out var dangling, out _).Should().BeTrue();
        var correlator = new SigmaCorrelator([dangling!], [Load(FailedLogon)]);
        correlator.Failures.Should().ContainSingle().Which.Reason.Should().Contain("'nowhere'");
        correlator.Count.Should().Be(0);
    }

    [Fact]
    public void Rules_feeding_a_correlation_are_quiet_unless_it_asks_for_them()
    {
        SigmaRuleReader.TryRead(Correlation("type: event_count\nrules: [failed_logon]\ntimespan: 1h\ncondition: {gte: 2}"), "c.yml", SigmaEngineOptions.Default,
            out _, out var quiet, out _).Should().BeTrue();
        SigmaRuleReader.TryRead(Correlation("type: event_count\nrules: [successful_logon]\ntimespan: 1h\ngenerate: true\ncondition: {gte: 2}"), "c.yml", SigmaEngineOptions.Default,
            out _, out var loud, out _).Should().BeTrue();
        var rules = new[] { Load(FailedLogon), Load(SuccessfulLogon) };
        var correlator = new SigmaCorrelator([quiet!, loud!], rules);
        correlator.IsSuppressed(rules[0].Id).Should().BeTrue();
        correlator.IsSuppressed(rules[1].Id).Should().BeFalse();
    }
}
