using System.Text;
using Ribat.Forensics.Hunting;

namespace Ribat.Forensics.Tests.Hunting;

public class PatternAutomatonTests
{
    [Fact]
    public void Finds_every_occurrence_of_every_pattern_including_overlaps()
    {
        var automaton = PatternAutomaton.Build(["he", "she", "his", "hers", "evil.example"]);
        var matches = new List<PatternMatch>();
        automaton.FindAll("ushers at evil.example"u8, matches);
        matches.Should().Equal(new PatternMatch(1, 4), new PatternMatch(0, 4), new PatternMatch(3, 6), new PatternMatch(4, 22));
    }

    [Fact]
    public void Agrees_with_a_naive_search_on_random_patterns_and_text()
    {
        var random = new Random(20261122);
        for (var round = 0; round < 200; round++)
        {
            var alphabet = round % 2 == 0 ? "ab" : "abcAB.\n\u00e9";
            var patterns = Enumerable.Range(0, random.Next(1, 40)).Select(_ => RandomText(random, alphabet, random.Next(1, 6))).ToList();
            var text = RandomText(random, alphabet, random.Next(0, 400));
            var ignoreCase = round % 3 == 0;
            var automaton = PatternAutomaton.Build(patterns, ignoreCase);
            var found = new List<PatternMatch>();
            automaton.FindAll(Encoding.UTF8.GetBytes(text), found);
            found.OrderBy(m => m.End).ThenBy(m => m.Pattern).Should().Equal(Naive(patterns, text, ignoreCase), $"round {round}");
        }
    }

    [Fact]
    public void Case_insensitive_search_folds_ascii_letters()
    {
        var automaton = PatternAutomaton.Build(["Evil.Example"], ignoreCase: true);
        automaton.IsMatch("GET http://EVIL.EXAMPLE/"u8).Should().BeTrue();
        automaton.IsMatch("GET http://evil.example/"u8).Should().BeTrue();
        automaton.IsMatch("GET http://evil-example/"u8).Should().BeFalse();
        PatternAutomaton.Build(["Evil.Example"]).IsMatch("evil.example"u8).Should().BeFalse();
    }

    [Fact]
    public void Counts_matching_lines_as_grep_c_does_across_read_boundaries()
    {
        var patterns = new[] { "1.2.3.4", "evil.example" };
        var builder = new StringBuilder();
        var expected = 0;
        var random = new Random(5);
        for (var i = 0; i < 60_000; i++)
        {
            var line = (random.Next(10)) switch
            {
                0 => "sshd: from 1.2.3.4 port 22 and evil.example again 1.2.3.4",
                1 => new string('x', random.Next(0, 3_000_000 / 60_000 * 40)) + "evil.example",
                _ => "nothing here " + random.Next(),
            };
            expected += line.Contains("1.2.3.4", StringComparison.Ordinal) || line.Contains("evil.example", StringComparison.Ordinal) ? 1 : 0;
            builder.Append(line).Append(i % 7 == 0 ? "\r\n" : "\n");
        }

        builder.Append("last line without newline evil.example");
        expected++;
        var automaton = PatternAutomaton.Build(patterns);
        automaton.CountMatchingLines(new MemoryStream(Encoding.UTF8.GetBytes(builder.ToString()))).Should().Be(expected);
    }

    [Fact]
    public void Refuses_an_empty_pattern_with_a_reason_and_survives_binary_text()
    {
        PatternAutomaton.TryBuild([[1, 2], []], ignoreCase: false, out var none, out var reason).Should().BeFalse();
        none.Should().BeNull();
        reason.Should().Be("pattern 2 is empty.");

        var random = new Random(9);
        var junk = new byte[4 << 20];
        random.NextBytes(junk);
        var patterns = Enumerable.Range(0, 1000).Select(i => junk.AsSpan(i * 997, 3 + (i % 5)).ToArray()).ToList();
        var automaton = PatternAutomaton.Build(patterns);
        var matches = new List<PatternMatch>();
        automaton.FindAll(junk, matches).Should().BeGreaterThanOrEqualTo(1000);
        automaton.CountMatchingLines(new MemoryStream(junk)).Should().BeGreaterThan(0);
    }

    private static List<PatternMatch> Naive(List<string> patterns, string text, bool ignoreCase)
    {
        var bytes = Encoding.UTF8.GetBytes(ignoreCase ? Ascii(text) : text);
        var result = new List<PatternMatch>();
        for (var end = 1; end <= bytes.Length; end++)
        {
            var reported = new HashSet<string>();
            for (var p = 0; p < patterns.Count; p++)
            {
                var pattern = Encoding.UTF8.GetBytes(ignoreCase ? Ascii(patterns[p]) : patterns[p]);
                if (end >= pattern.Length && bytes.AsSpan(end - pattern.Length, pattern.Length).SequenceEqual(pattern)
                    && reported.Add(Encoding.UTF8.GetString(pattern)))
                {
                    result.Add(new PatternMatch(p, end));
                }
            }
        }

        return result;
    }

    private static string Ascii(string text) => string.Concat(text.Select(c => c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c));

    private static string RandomText(Random random, string alphabet, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
}
