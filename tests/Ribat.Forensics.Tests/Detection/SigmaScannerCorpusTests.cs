using Ribat.Forensics.Detection;
using Ribat.Forensics.Evtx;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Detection;

/// <summary>
/// One scanner reused over many events (atoms, candidate rules, remembered clean values, the dense automata) must fire
/// on each event exactly the rules of its bucket that evaluating each rule alone, with no shortcut, fires: over the
/// whole SigmaHQ rule set, on the corpus's captures, EVTX logs and access log and on generated JSON lines built to hit the
/// keyword searches.
/// </summary>
public class SigmaScannerCorpusTests
{
    [Fact]
    public void Regression_captures_and_evtx_logs_fire_as_every_rule_evaluated_alone()
    {
        var events = Directory.EnumerateFiles(SharedCorpus.Path("sigma", "regression_data"), "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(EvtxJsonTwin.Read)
            .ToList();
        foreach (var name in new[] { "security.evtx", "system.evtx", "sysmon.evtx", "sample-with-irregular-bool-values.evtx" })
        {
            var (records, _) = EvtxReader.ReadFile(SharedCorpus.Path("evtx", name));
            events.AddRange(records.Select(record => EvtxEvents.ToLogEvent(record, name)));
        }

        events.Count.Should().BeGreaterThan(1000);

        var fired = Compare(events);

        fired.Should().BeGreaterThan(100, "the captures are attacks the rules describe");
    }

    [Fact]
    public void Access_log_fires_as_every_rule_evaluated_alone()
    {
        using var stream = File.OpenRead(SharedCorpus.Path("logs", "apache_logs"));
        var events = LogFileReader.Open(stream, "apache_logs").ReadEvents().ToList();
        events.Should().HaveCount(10_000);

        Compare(events);
    }

    [Fact]
    public void Generated_json_lines_with_keyword_atoms_fire_as_every_rule_evaluated_alone()
    {
        var set = SigmaCorpusRuleSet.Set;
        var bucket = set.BucketFor(LogFormat.JsonLines, null, null);
        var atoms = bucket.Rules.SelectMany(rule => rule.Node.Requirement() ?? []).Select(r => r.Atom).Distinct().Order(StringComparer.Ordinal).ToList();
        atoms.Count.Should().BeGreaterThan(100);
        var random = new Random(20_261_123);

        // A pool of shared strings, as readers hand out for values that repeat: more per field than the scanner
        // remembers, some holding an atom (in any case), some not.
        var pool = Enumerable.Range(0, 24).Select(i => i % 3 == 0 ? Noise(random) : Around(random, atoms[random.Next(atoms.Count)])).ToArray();
        string[] names = ["@timestamp", "message", "CommandLine", "Image", "c-useragent", "query", "user.name", "url.path", "cs-host", "Keywords"];
        var events = new List<LogEvent>();
        for (var i = 0; i < 4000; i++)
        {
            var count = random.Next(1, 9);
            var fields = new LogField[count];
            for (var f = 0; f < count; f++)
            {
                var name = random.Next(20) == 0 ? names[random.Next(names.Length)].ToUpperInvariant() : names[(f + (i % 3)) % names.Length];
                var value = random.Next(10) switch
                {
                    0 => Noise(random),
                    1 => Around(random, atoms[random.Next(atoms.Count)]),
                    2 => null,
                    _ => pool[random.Next(random.Next(2) == 0 ? 6 : pool.Length)],
                };
                fields[f] = new LogField(name, value);
            }

            events.Add(new LogEvent(LogFormat.JsonLines, "generated.jsonl", i, null, fields));
        }

        var fired = Compare(events);

        fired.Should().BeGreaterThan(100, "the values carry the keyword rules' atoms");
    }

    [Fact]
    public void Generated_json_lines_with_the_fields_rules_without_atoms_wait_for_fire_as_every_rule_evaluated_alone()
    {
        var set = SigmaCorpusRuleSet.Set;
        var bucket = set.BucketFor(LogFormat.JsonLines, null, null);
        var waiting = bucket.Rules.Where(rule => rule.Node.Requirement() is null && rule.NamedFields is not null).ToList();
        waiting.Count.Should().BeGreaterThan(5, "rules of log sources Ribat does not map wait for a field they name");
        var named = waiting.SelectMany(rule => rule.NamedFields!).Distinct().Select(set.Table.Name).Order(StringComparer.Ordinal).ToList();
        var atoms = bucket.Rules.SelectMany(rule => rule.Node.Requirement() ?? []).Select(r => r.Atom).Distinct().Order(StringComparer.Ordinal).ToList();
        string[] others = ["@timestamp", "message", "source.ip", "user.name", "CommandLine"];
        string?[] values = [null, "", "-", "10.1.2.3", "192.168.0.7", "203.0.113.9", "8.8.4.4", "https://ipfs.io/ipfs/bafy", "Mozilla/5.0", "/tmp/x.tar.gz"];
        var random = new Random(20_261_124);
        var events = new List<LogEvent>();
        for (var i = 0; i < 4000; i++)
        {
            var fields = new LogField[random.Next(1, 9)];
            for (var f = 0; f < fields.Length; f++)
            {
                var name = random.Next(2) == 0 ? named[random.Next(named.Count)] : others[random.Next(others.Length)];
                var value = random.Next(8) switch
                {
                    0 => Noise(random),
                    1 => Around(random, atoms[random.Next(atoms.Count)]),
                    _ => values[random.Next(values.Length)],
                };
                fields[f] = new LogField(random.Next(20) == 0 ? name.ToUpperInvariant() : name, value);
            }

            events.Add(new LogEvent(LogFormat.JsonLines, "generated.jsonl", i, null, fields));
        }

        var fired = Compare(events);

        fired.Should().BeGreaterThan(500, "public addresses, empty agents and IPFS links are what these rules look for");
    }

    /// <summary>Checks every event and returns the number of detections.</summary>
    private static int Compare(List<LogEvent> events)
    {
        var set = SigmaCorpusRuleSet.Set;
        var scanner = set.CreateScanner();
        var view = new SigmaEventView(set.Table);
        var total = 0;
        var detections = new List<SigmaDetection>();
        foreach (var logEvent in events)
        {
            detections.Clear();
            scanner.Match(logEvent, detections);
            view.Load(logEvent);
            var bucket = set.BucketFor(logEvent.Format, view.Value(set.ChannelSlot), view.Value(set.EventIdSlot));
            var expected = bucket.Rules
                .Where(rule => (rule.NamedFields is not { } named || named.Any(view.IsPresent)) && rule.Node.Evaluate(view))
                .Select(rule => rule.Rule.Id)
                .ToList();
            detections.Select(d => d.RuleId).Should().Equal(expected, $"event {logEvent.RecordId} of {logEvent.SourceFile}");
            total += expected.Count;
        }

        return total;
    }

    private static string Noise(Random random) =>
        new([.. Enumerable.Range(0, random.Next(0, 30)).Select(_ => "0123456789.:-TZ /abcxyzé"[random.Next(24)])]);

    private static string Around(Random random, string atom)
    {
        var cased = new string([.. atom.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : c)]);
        return Noise(random) + cased + Noise(random);
    }
}
