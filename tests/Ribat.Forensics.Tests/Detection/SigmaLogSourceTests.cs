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
}
