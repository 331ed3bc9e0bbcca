using Ribat.Forensics.Detection;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Detection;

/// <summary>
/// SigmaHQ's regression data (SigmaHQ/sigma @ 8eaafff1, DRL 1.1): for each rule a capture whose JSON twin
/// (<c>evtx_dump -o json</c>) must make that rule fire, <c>match_count</c> times where info.yml says so.
/// </summary>
public class SigmaRegressionTests
{
    /// <summary>
    /// Cases whose info.yml says 1 where, read by hand, several events of the capture satisfy the rule as the
    /// specification defines it (case-insensitive contains/endswith): the count asserted instead, and why.
    /// </summary>
    private static readonly Dictionary<string, (int Count, string Why)> Recounted = new(StringComparer.Ordinal)
    {
        ["file_event_win_anydesk_artefact"] = (3, "records 14985, 14988 and 14990 all hold \\AppData\\Roaming\\AnyDesk\\user.conf"),
        ["file_event_win_cred_dump_tools_dropped_files"] = (3, "procdump64.exe, procdump64a.exe and procdump.exe are each created (26359, 26366, 26373)"),
        ["registry_set_change_security_zones"] = (3, "three ZoneMap\\Domains values are set to DWORD 2, none filtered (28344631-3)"),
    };

    private sealed record Case(string Folder, string RuleId, int? MatchCount, string Twin);

    private static List<Case> Cases()
    {
        var cases = new List<Case>();
        foreach (var info in Directory.EnumerateFiles(SharedCorpus.Path("sigma", "regression_data"), "info.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string? id = null;
            int? count = null;
            string? evtx = null;
            foreach (var raw in File.ReadLines(info))
            {
                var line = raw.Trim();
                if (line.StartsWith("- id:", StringComparison.Ordinal) && id is null)
                {
                    id = line[5..].Trim();
                }
                else if (line.StartsWith("match_count:", StringComparison.Ordinal))
                {
                    count = int.Parse(line[12..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("path:", StringComparison.Ordinal) && line.EndsWith(".evtx", StringComparison.Ordinal))
                {
                    evtx = line[5..].Trim();
                }
            }

            if (id is not null && evtx is not null)
            {
                var twin = Path.Combine(Path.GetDirectoryName(info)!, Path.GetFileNameWithoutExtension(evtx) + ".json");
                cases.Add(new Case(Path.GetRelativePath(SharedCorpus.Path("sigma"), Path.GetDirectoryName(info)!), id, count, twin));
            }
        }

        return cases;
    }

    private static List<SigmaDetection> Scan(List<LogEvent> events)
    {
        var scanner = SigmaCorpusRuleSet.Set.CreateScanner();
        var detections = new List<SigmaDetection>();
        foreach (var logEvent in events)
        {
            scanner.Match(logEvent, detections);
        }

        return detections;
    }

    [Fact]
    public void Every_rule_fires_on_its_own_capture_as_often_as_info_yml_says()
    {
        var cases = Cases();
        cases.Should().HaveCount(101, "every evtx regression case of the corpus is read");
        var loaded = SigmaCorpusRuleSet.Load.Rules.Select(r => r.Id).ToHashSet();
        var failures = new List<string>();
        foreach (var @case in cases)
        {
            if (!loaded.Contains(@case.RuleId))
            {
                failures.Add($"{@case.Folder}: rule {@case.RuleId} did not load");
                continue;
            }

            var fired = Scan(EvtxJsonTwin.Read(@case.Twin)).Count(d => d.RuleId == @case.RuleId);
            var expected = Recounted.TryGetValue(Path.GetFileName(@case.Folder), out var recount) ? recount.Count : @case.MatchCount;
            if (expected is { } count ? fired != count : fired == 0)
            {
                failures.Add($"{@case.Folder}: rule {@case.RuleId} fired {fired} times, expected {expected?.ToString() ?? "at least once"}");
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void No_rule_fires_on_most_captures()
    {
        var cases = Cases();
        var capturesPerRule = new Dictionary<string, int>();
        var total = 0;
        foreach (var @case in cases)
        {
            var detections = Scan(EvtxJsonTwin.Read(@case.Twin));
            total += detections.Count;
            foreach (var id in detections.Select(d => d.RuleId).Distinct())
            {
                capturesPerRule[id] = capturesPerRule.GetValueOrDefault(id) + 1;
            }
        }

        // The captures are from different attacks; a rule firing on a third of them matches something every event has.
        capturesPerRule.Where(p => p.Value > cases.Count / 3).Should().BeEmpty();
        total.Should().BeLessThan(cases.Count * 10, "a capture of one technique raises a handful of detections, not the whole rule set");
    }

    [Fact]
    public void The_json_twin_is_flattened_with_event_data_first_and_system_fields_after()
    {
        var twin = Cases().First(c => c.Twin.Contains("file_event_win_exploit_redsun_indicators", StringComparison.Ordinal)).Twin;
        var logEvent = EvtxJsonTwin.Read(twin).Single();
        logEvent.Fields[0].Should().Be(new LogField("RuleName", "EXE"));
        logEvent.TryGet("ProcessId", out var pid).Should().BeTrue();
        pid.Should().Be("15596", "EventData's ProcessId comes before System's Execution ProcessID");
        logEvent.TryGet("EventID", out var eventId).Should().BeTrue();
        eventId.Should().Be("11");
        logEvent.TryGet("Channel", out var channel).Should().BeTrue();
        channel.Should().Be("Microsoft-Windows-Sysmon/Operational");
        logEvent.RecordId.Should().Be(83239);
        logEvent.Timestamp.Should().Be(new DateTimeOffset(2026, 4, 17, 5, 24, 53, 92, 51, TimeSpan.Zero));
        logEvent.TryGet("ActivityID", out _).Should().BeFalse("a null Correlation element gives no field");
    }
}
