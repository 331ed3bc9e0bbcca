using System.Text.Json;
using Ribat.Forensics.Detection;
using Ribat.Forensics.Logs;
using static Ribat.Forensics.Tests.Detection.SigmaTestRules;

namespace Ribat.Forensics.Tests.Detection;

public class SigmaLogSourceTests
{
    [Fact]
    public void The_built_in_map_is_well_formed()
    {
        var map = SigmaLogSourceMap.BuiltIn;
        map.Count.Should().BeGreaterThan(80);
        var json = File.ReadAllText(Path.Combine(SharedCorpus.RepositoryRoot(), "src", "Ribat.Forensics", "Detection", "Sigma", "logsources.json"));
        using var document = JsonDocument.Parse(json);
        var seen = new HashSet<string>();
        foreach (var entry in document.RootElement.GetProperty("sources").EnumerateArray())
        {
            var key = string.Join("/", new[] { "product", "category", "service" }.Select(k => entry.TryGetProperty(k, out var v) ? v.GetString() : "-"));
            seen.Add(key).Should().BeTrue($"{key} is listed once");
            foreach (var target in entry.GetProperty("targets").EnumerateArray())
            {
                if (target.TryGetProperty("channel", out var channel))
                {
                    channel.GetString().Should().NotBeNullOrWhiteSpace();
                }

                if (target.TryGetProperty("eventIds", out var ids))
                {
                    ids.EnumerateArray().Should().OnlyContain(id => id.GetInt32() > 0 && id.GetInt32() < 65536);
                }
            }
        }
    }

    [Fact]
    public void Every_windows_category_and_service_of_the_published_rules_is_mapped_or_known_to_be_unmapped()
    {
        // Sysmon and Windows auditing have no event for these; EDR products do.
        var unmapped = new HashSet<string> { "file_access", "file_rename" };
        var missing = SigmaCorpusRuleSet.Load.Rules
            .Where(r => r.LogSource.Product == "windows" && SigmaLogSourceMap.BuiltIn.TargetsFor(r.LogSource).Count == 0)
            .Select(r => r.LogSource.Category ?? r.LogSource.Service ?? "")
            .Where(name => !unmapped.Contains(name))
            .Distinct()
            .ToList();
        missing.Should().BeEmpty();
    }

    [Fact]
    public void Process_creation_runs_on_sysmon_1_and_security_4688_with_its_field_names()
    {
        var rule = ProcessRule("""
            selection:
                Image|endswith: '\whoami.exe'
                ParentImage|endswith: '\cmd.exe'
            condition: selection
            """);
        Fires(rule, Process(("Image", @"C:\Windows\whoami.exe"), ("ParentImage", @"C:\Windows\cmd.exe"))).Should().BeTrue();
        Fires(rule, Event("Security", 4688, ("NewProcessName", @"C:\Windows\whoami.exe"), ("ParentProcessName", @"C:\Windows\cmd.exe"))).Should().BeTrue();
        Fires(rule, Event("Security", 4624, ("NewProcessName", @"C:\Windows\whoami.exe"), ("ParentProcessName", @"C:\Windows\cmd.exe"))).Should().BeFalse();
        Fires(rule, Event(Sysmon, 3, ("Image", @"C:\Windows\whoami.exe"), ("ParentImage", @"C:\Windows\cmd.exe"))).Should().BeFalse("EventID 3 is a network connection");
    }

    [Fact]
    public void Services_select_their_channel_and_text_sources_their_format()
    {
        var security = """
            title: Security
            logsource:
                product: windows
                service: security
            detection:
                selection:
                    EventID: 1102
                condition: selection
            """;
        Fires(security, Event("Security", 1102)).Should().BeTrue();
        Fires(security, Event("System", 1102)).Should().BeFalse();

        var auth = """
            title: Auth
            logsource:
                product: linux
                service: auth
            detection:
                keywords:
                    - 'authentication failure'
                condition: keywords
            """;
        var line = new LogEvent(LogFormat.Syslog3164, "auth.log", 7, null, [new("Message", "pam_unix(sshd:auth): authentication failure; rhost=1.2.3.4")]);
        Fires(auth, line).Should().BeTrue();
        var web = new LogEvent(LogFormat.AccessLog, "access.log", 7, null, [new("Message", "authentication failure")]);
        Fires(auth, web).Should().BeFalse("an access log is not an auth log");
    }

    [Fact]
    public void Rules_for_sources_no_map_covers_run_on_json_lines_only()
    {
        var rule = """
            title: Cloud
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventName: DeleteTrail
                condition: selection
            """;
        Fires(rule, new LogEvent(LogFormat.JsonLines, "trail.jsonl", 1, null, [new("eventName", "DeleteTrail")])).Should().BeTrue();
        Fires(rule, new LogEvent(LogFormat.Evtx, "x.evtx", 1, null, [new("eventName", "DeleteTrail")])).Should().BeFalse();
    }

    [Fact]
    public void A_rule_with_no_mapped_log_source_fires_only_on_lines_that_carry_a_field_it_names()
    {
        // Shaped like SigmaHQ's Zeek rule "Publicly Accessible RDP Service": a negation that any unrelated line satisfies.
        const string zeek = """
            title: Negated zeek rule
            id: 0c2a1c4e-5d7f-4b0e-8a3b-2f1e0d9c8b7a
            logsource:
                product: zeek
                service: rdp
            detection:
                selection:
                    id.orig_h|cidr: 10.0.0.0/8
                condition: not selection
            level: high
            """;
        static LogEvent Line(params (string Name, string? Value)[] fields) =>
            new(LogFormat.JsonLines, "app.jsonl", 1, null, [.. fields.Select(f => new LogField(f.Name, f.Value))]);

        SigmaTestRules.Fires(zeek, Line(("user", "alice"), ("action", "login"))).Should().BeFalse("a web application's line is no Zeek RDP record");
        SigmaTestRules.Fires(zeek, Line(("id.orig_h", "203.0.113.9"), ("id.resp_p", "3389"))).Should().BeTrue("an RDP record from outside 10/8");
        SigmaTestRules.Fires(zeek, Line(("id.orig_h", "10.1.2.3"))).Should().BeFalse();
    }
}
