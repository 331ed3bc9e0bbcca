using Ribat.Forensics.Detection;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Detection;

/// <summary>Small rules and events written in the tests themselves.</summary>
internal static class SigmaTestRules
{
    public const string Sysmon = "Microsoft-Windows-Sysmon/Operational";

    /// <summary>A process_creation rule whose detection is <paramref name="detection"/> (indented YAML under 'detection:').</summary>
    public static string ProcessRule(string detection, string id = "5d3c6a9e-1b8f-4c1e-9b0a-3f3e2d1c0b01") => $"""
        title: Test rule
        id: {id}
        logsource:
            product: windows
            category: process_creation
        detection:
        {Indent(detection)}
        level: high
        tags:
            - attack.execution
        """;

    public static SigmaRule Load(string text, SigmaEngineOptions? options = null)
    {
        SigmaRuleReader.TryRead(text, "test.yml", options ?? SigmaEngineOptions.Default, out var rule, out _, out var reason)
            .Should().BeTrue(reason);
        return rule!;
    }

    public static string Refusal(string text, SigmaEngineOptions? options = null)
    {
        SigmaRuleReader.TryRead(text, "test.yml", options ?? SigmaEngineOptions.Default, out _, out _, out var reason).Should().BeFalse();
        return reason;
    }

    public static LogEvent Process(params (string Name, string? Value)[] fields) => Event(Sysmon, 1, fields);

    public static LogEvent Event(string channel, int eventId, params (string Name, string? Value)[] fields) =>
        Event(channel, eventId, DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), fields);

    public static LogEvent Event(string channel, int eventId, DateTimeOffset time, params (string Name, string? Value)[] fields) =>
        new(LogFormat.Evtx, "test.evtx", 1, time,
            [.. fields.Select(f => new LogField(f.Name, f.Value)), new LogField("EventID", eventId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new LogField("Channel", channel)]);

    /// <summary>Whether the rule fires on the event.</summary>
    public static bool Fires(string ruleText, LogEvent logEvent, SigmaEngineOptions? options = null)
    {
        var set = new SigmaRuleSet([Load(ruleText, options)], options);
        var detections = new List<SigmaDetection>();
        set.CreateScanner().Match(logEvent, detections);
        return detections.Count > 0;
    }

    /// <summary>A rule with one selection of <paramref name="field"/>: <paramref name="value"/> (YAML) over a process event.</summary>
    public static bool Matches(string field, string value, params (string Name, string? Value)[] fields) =>
        Fires(ProcessRule($"""
            selection:
                {field}: {value}
            condition: selection
            """), Process(fields));

    private static string Indent(string text) => string.Join("\n", text.Split('\n').Select(l => "    " + l));
}
