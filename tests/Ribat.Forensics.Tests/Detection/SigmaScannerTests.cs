using Ribat.Forensics.Detection;
using Ribat.Forensics.Logs;
using static Ribat.Forensics.Tests.Detection.SigmaTestRules;

namespace Ribat.Forensics.Tests.Detection;

/// <summary>The scanner's shortcuts (candidate rules, interned names, dense automata) must fire exactly what evaluating every rule fires.</summary>
public class SigmaScannerTests
{
    private const int RuleCount = 64;

    /// <summary>Rule i needs "wordI" in the command line, but every 16th rule from the 5th is a negation, which needs no text and is
    /// always evaluated, and every 16th from the 9th needs "imgI" in the image.</summary>
    private static readonly SigmaRuleSet Set = new(Enumerable.Range(0, RuleCount).Select(i => Load(RuleText(i))));

    [Fact]
    public void A_reused_scanner_over_values_that_repeat_as_the_same_strings_fires_as_a_new_scanner_on_each()
    {
        // Readers hand out the same string for a value a field repeats; the scanner remembers the last clean ones per
        // position. Runs of one value, cycles of 2 to 12 values (more than it remembers) and random picks, where some
        // strings hold an atom and some do not, must fire exactly what a new scanner fires.
        var random = new Random(24);
        var pool = Enumerable.Range(0, 24).Select(i => i % 5 == 0 ? $"run word{i:00} now" : $"plain value {i} img{i % 3}").ToArray();
        var commandLine = "CommandLine";
        var image = "Image";
        var scanner = Set.CreateScanner();
        var fired = 0;
        for (var block = 0; block < 60; block++)
        {
            var kind = random.Next(3);
            var cycle = pool.OrderBy(_ => random.Next()).Take(random.Next(1, 13)).ToArray();
            for (var line = 0; line < 50; line++)
            {
                var first = kind switch
                {
                    0 => cycle[0],
                    1 => cycle[line % cycle.Length],
                    _ => cycle[random.Next(cycle.Length)],
                };
                var logEvent = Process((commandLine, first), (image, pool[(block + line) % 7]), ("Other", cycle[(line + 1) % cycle.Length]));
                var once = new List<SigmaDetection>();
                var reused = new List<SigmaDetection>();
                Set.CreateScanner().Match(logEvent, once);
                scanner.Match(logEvent, reused);
                reused.Select(d => d.RuleId).Should().Equal(once.Select(d => d.RuleId), $"block {block}, line {line}");
                fired += once.Count(d => d.RuleId == Set.Rules[10].Id);
            }
        }

        fired.Should().BeGreaterThan(20, "\"run word10 now\" fires rule 10 wherever it is the command line");
    }

    [Theory]
    [InlineData("run word03 then WORD17 and word31")]
    [InlineData("nothing at all")]
    [InlineData("word63")]
    [InlineData("word00 word01 word02 word03 word04 word06 word07 word08 word09 word10 word11 word12 word13 word14 word15 word16")]
    [InlineData("word42 never21 Wórd44 word44")]
    public void Few_or_many_candidates_fire_the_same_rules_in_the_same_order_as_each_rule_alone(string commandLine)
    {
        var logEvent = Process(("CommandLine", commandLine), ("Image", @"C:\x.exe"));
        var expected = Set.Rules.Where(rule => Fires(Text(rule), logEvent)).Select(rule => rule.Id).ToList();
        var detections = new List<SigmaDetection>();

        Set.CreateScanner().Match(logEvent, detections);

        detections.Select(d => d.RuleId).Should().Equal(expected);
        expected.Should().Contain(Set.Rules.Where((_, i) => i % 16 == 5 && !commandLine.Contains($"never{i}", StringComparison.Ordinal)).Select(r => r.Id));
    }

    [Fact]
    public void One_scanner_over_events_whose_names_and_values_change_fires_as_a_new_scanner_on_each()
    {
        var commandLine = "CommandLine";
        var shared = "run word05 now";
        var plain = "nothing here img25";
        LogEvent[] events =
        [
            Process(("Image", shared)),
            Process((commandLine, shared)),
            Process((commandLine, shared)),
            Process((commandLine, plain)),
            Process((commandLine, plain), ("Image", shared)),
            Process(("Image", plain), (commandLine, shared)),
            Process((commandLine, "word01"), ("Image", "a")),
            Process((commandLine, "word02"), ("Image", "a")),
            Process(("commandline", "word03"), ("Image", "a")),
            Process(("Image", "word04"), (commandLine, "word05")),
            Process((new string(commandLine.AsSpan()), "word06")),
            Process(("Command Line", "word07")),
            Process(("Other", "word08"), (commandLine, "word09"), (commandLine, "word10")),
            Process(("Other", "word11")),
            Process([.. Enumerable.Range(0, 80).Select(i => ($"F{i}", (string?)$"word{i % 64:00}")).Append((commandLine, "word12"))]),
            Process((commandLine, "word13")),
        ];
        var scanner = Set.CreateScanner();
        foreach (var logEvent in events)
        {
            var once = new List<SigmaDetection>();
            var reused = new List<SigmaDetection>();
            Set.CreateScanner().Match(logEvent, once);
            scanner.Match(logEvent, reused);
            reused.Select(d => d.RuleId).Should().Equal(once.Select(d => d.RuleId));
        }
    }

    [Theory]
    [InlineData(20, true, 1)]
    [InlineData(3, true, 2)]
    [InlineData(60, true, 2)]
    [InlineData(4000, false, 1)]
    [InlineData(4000, false, 2)]
    public void Dense_and_sparse_automata_report_every_occurrence_of_every_atom(int atomCount, bool dense, int shortest)
    {
        var random = new Random(atomCount + shortest);
        const string alphabet = "abcdeé.\\/-0K\u212Aß";
        var atoms = Enumerable.Range(0, atomCount)
            .Select(_ => new string([.. Enumerable.Range(0, random.Next(shortest, 12)).Select(_ => SigmaAtomAutomaton.Fold(alphabet[random.Next(alphabet.Length)]))]))
            .Distinct().ToList();
        var automaton = new SigmaAtomAutomaton(atoms);
        automaton.IsDense.Should().Be(dense);
        const string textAlphabet = "abcdeABCDEéÉ.\\/-0kK\u212Aßx ";
        for (var round = 0; round < 300; round++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 200)).Select(_ => textAlphabet[random.Next(textAlphabet.Length)])]);
            var folded = new string([.. text.Select(SigmaAtomAutomaton.Fold)]);
            var expected = new List<int>();
            for (var id = 0; id < atoms.Count; id++)
            {
                for (var at = folded.IndexOf(atoms[id], StringComparison.Ordinal); at >= 0; at = folded.IndexOf(atoms[id], at + 1, StringComparison.Ordinal))
                {
                    expected.Add(id);
                }
            }

            var sink = new Collect([]);
            automaton.Scan(text, ref sink);
            sink.Atoms.Order().Should().Equal(expected.Order(), text);
        }
    }

    private static string Text(SigmaRule rule) => RuleText(int.Parse(rule.Id[^12..], System.Globalization.CultureInfo.InvariantCulture));

    private static string RuleText(int i) => ProcessRule((i % 16) switch
    {
        5 => $"""
             selection:
                 CommandLine|contains: 'never{i}'
             condition: not selection
             """,
        9 => $"""
             selection:
                 Image|contains: 'img{i:00}'
             condition: selection
             """,
        _ => $"""
             selection:
                 CommandLine|contains: 'word{i:00}'
             condition: selection
             """,
    }, $"5d3c6a9e-1b8f-4c1e-9b0a-{i:000000000000}");

    private readonly struct Collect(List<int> found) : IAtomSink
    {
        public List<int> Atoms => found;

        public void Found(int atom) => found.Add(atom);
    }
}
