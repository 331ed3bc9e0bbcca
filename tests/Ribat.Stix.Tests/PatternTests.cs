using Ribat.Stix.Patterning;

namespace Ribat.Stix.Tests;

public sealed class PatternTests
{
    private static readonly string[] ValidPatterns =
    [
        // Patterns from STIX 2.1 section 9.9 (examples) and the corpus's indicators.
        "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        @"[email-message:from_ref.value MATCHES '.+\\@example\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\.exe$']",
        "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']",
        "([ipv4-addr:value = '198.51.100.1/32'] FOLLOWEDBY [domain-name:value = 'example.com']) WITHIN 600 SECONDS",
        "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
        "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']",
        @"[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\System\\Foo\\Bar']",
        "[network-traffic:src_port IN (80, 443) AND network-traffic:protocols[*] = 'tcp']",
        "[user-account:account_type = 'unix' AND user-account:user_id = '1007'] AND [process:pid = 4] REPEATS 5 TIMES START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
        "[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']",
        "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
        "[domain-name:value NOT LIKE '%.example.com' AND EXISTS domain-name:resolves_to_refs]",
        "[ipv4-addr:value ISSUBSET '198.51.100.0/24'] OR [ipv6-addr:value ISSUPERSET '2001:db8::/32']",
        "[file:size >= 1024 AND file:size <= 2048 AND file:name != 'x' AND file:size < 3000 AND file:size > -1]",
        "[process:is_hidden = true] WITHIN 0.5 SECONDS",
        "[x509-certificate:issuer = 'CN=O\\'Brien' AND x509-certificate:serial_number = '4c:0b:1d']",
        "[(ipv4-addr:value = '1.2.3.4' OR ipv4-addr:value = '5.6.7.8') AND ipv4-addr:value != '9.9.9.9']",
        "[file:name = 'a'] AND ([file:name = 'b'] OR [file:name = 'c']) FOLLOWEDBY [file:name = 'd']",
        "[url:value == 'http://example.com/'] AND [url:value <> 'x']",
        "[network-traffic:extensions.'http-request-ext'.request_header.'Accept-Encoding' NOT = 'gzip']",
        "[file:extensions.'extension-definition--1f2f4ec5-4c6d-4d3e-9d3b-0f4a8d0c5d7e'.anything = 1]",
    ];

    private const string Inserted = "[]()'.:=\\ aZ0-";

    public static TheoryData<string> Valid() => [.. ValidPatterns];

    [Theory]
    [MemberData(nameof(Valid))]
    public void Patterns_of_the_spec_parse_without_problems(string pattern)
    {
        var result = StixPattern.Parse(pattern);
        result.Problems.Should().BeEmpty();
        result.IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("", 0, "expected '[' or '('")]
    [InlineData("[ipv4-addr:value = '1.2.3.4'", 28, "expected ']'")]
    [InlineData("[ipv4-addr:value = '1.2.3.4'] WITHIN -5 SECONDS", 37, "positive number of seconds")]
    [InlineData("[ipv4-addr:value = '1'] REPEATS 0 TIMES", 32, "positive integer after REPEATS")]
    [InlineData("[file:hashes.SHA-256 = 'x']", 13, "quote it")]
    [InlineData("[file:name = 'unterminated]", 13, "not closed")]
    [InlineData("[file:name = 'bad \\n escape']", 18, "only \\' and \\\\")]
    [InlineData("[file:name = 'a'] START t'2016-07-01T00:00:00Z' STOP t'2016-06-01T00:00:00Z'", 18, "STOP MUST be later than START")]
    [InlineData("[file:name = 'a'] START t'2016-07-01' STOP t'2016-08-01T00:00:00Z'", 24, "t'2016-07-01'")]
    [InlineData("[file:size > true]", 13, "boolean cannot be compared")]
    [InlineData("[file:magic_number_hex = h'abc']", 25, "pairs of hex digits")]
    [InlineData("[artifact:payload_bin = b'###']", 24, "base64")]
    [InlineData("[ipv4-addr:value = '1' AND domain-name:value = 'x']", 23, "same object type")]
    [InlineData("[ipv4-addr:value IN ('a', 1)]", 26, "same type")]
    [InlineData("[ipv4-addr:value = '1'] and [ipv4-addr:value = '2']", 24, "after the end of the pattern")]
    [InlineData("[ipv4-addr:value LIKE 5]", 22, "takes a string literal")]
    [InlineData("[ipv4-addr:value ~ '1']", 17, "unexpected character '~'")]
    [InlineData("[ipv4-addr value = '1']", 11, "expected ':'")]
    [InlineData("[file:size = 007]", 13, "leading zeros")]
    [InlineData("[file:name = 'a'] WITHIN 5", 26, "expected SECONDS")]
    public void Syntax_errors_name_their_position(string pattern, int position, string fragment)
    {
        var result = StixPattern.Parse(pattern);
        result.IsValid.Should().BeFalse();
        result.Problems.Should().Contain(p => p.Severity == StixSeverity.Error && p.Position == position && p.Message.Contains(fragment),
            "found {0}", string.Join(" | ", result.Problems));
    }

    [Theory]
    [InlineData("[ipv4-addr:valu = '1']", "'valu' is not a property of ipv4-addr")]
    [InlineData("[file:name[0] = 'a']", "is not a list")]
    [InlineData("[x-acme-widget:name = 'a']", "not an SCO type STIX defines")]
    [InlineData("[indicator:name = 'a']", "not a cyber-observable type")]
    [InlineData("[file:extensions.'windows-pebinary-ext'.sections[*].entrop > 7.0]", "'entrop' is not a property of file:extensions.windows-pebinary-ext.sections")]
    [InlineData("[file:name MATCHES '(unclosed']", "does not compile")]
    public void Paths_outside_the_model_are_warnings(string pattern, string fragment)
    {
        var result = StixPattern.Parse(pattern);
        result.IsValid.Should().BeTrue();
        result.Problems.Should().ContainSingle(p => p.Severity == StixSeverity.Warning && p.Message.Contains(fragment), "found {0}", string.Join(" | ", result.Problems));
    }

    [Fact]
    public void Simple_equalities_come_out_as_observables()
    {
        var result = StixPattern.Parse(
            "[ipv4-addr:value = '198.51.100.1' OR file:hashes.'SHA-256' = 'abc'] AND [domain-name:value != 'x'] "
            + "FOLLOWEDBY ([url:value NOT = 'y' OR autonomous-system:number = 174] WITHIN 5 SECONDS)");
        StixPattern.Observables(result.Expression!).Should().Equal(
            new PatternObservable("ipv4-addr", "value", "198.51.100.1"),
            new PatternObservable("file", "hashes.SHA-256", "abc"),
            new PatternObservable("autonomous-system", "number", "174"));
    }

    [Fact]
    public void Escapes_are_undone_in_literals()
    {
        var result = StixPattern.Parse(@"[windows-registry-key:key = 'HKLM\\Software\\O\'Brien']");
        StixPattern.Observables(result.Expression!).Single().Value.Should().Be(@"HKLM\Software\O'Brien");
    }

    [Fact]
    public void Hostile_nesting_and_sizes_are_refused_quickly()
    {
        var deep = new string('(', 100_000) + "[file:name = 'a']" + new string(')', 100_000);
        var nested = StixPattern.Parse(deep);
        nested.Problems.Should().ContainSingle(p => p.Position == 64 && p.Message.Contains("nested deeper than 64"));

        var deepComparison = "[" + new string('(', 100_000) + "file:name = 'a'" + new string(')', 100_000) + "]";
        StixPattern.Parse(deepComparison).Problems.Should().ContainSingle(p => p.Message.Contains("nested deeper"));

        var huge = "[file:name = '" + new string('a', 2_000_000) + "']";
        StixPattern.Parse(huge).Problems.Should().ContainSingle(p => p.Message.Contains("more than the 1,048,576 accepted"));

        var large = "[file:name = '" + new string('a', 500_000) + "']";
        StixPattern.Parse(large).IsValid.Should().BeTrue();

        var wideSet = "[network-traffic:dst_port IN (" + string.Join(", ", Enumerable.Range(0, 50_000)) + ")]";
        StixPattern.Parse(wideSet).IsValid.Should().BeTrue();

        // Chains as long as the length limit allows: a recursive walk of these would overflow the stack.
        var longChain = string.Join(" OR ", Enumerable.Repeat("[file:name = 'a']", 45_000));
        StixPattern.Parse(longChain).IsValid.Should().BeTrue();
        var wideObservation = "[" + string.Join(" OR ", Enumerable.Repeat("file:name = 'a'", 50_000)) + "]";
        var wide = StixPattern.Parse(wideObservation);
        wide.IsValid.Should().BeTrue();
        StixPattern.Observables(wide.Expression!).Should().HaveCount(50_000);
        var mixedAnd = "[" + string.Join(" AND ", Enumerable.Repeat("file:name = 'a'", 40_000)) + " AND url:value = 'b']";
        StixPattern.Parse(mixedAnd).Problems.Should().ContainSingle(p => p.Message.Contains("same object type (file and url)"));
    }

    [Fact]
    public void Random_and_mutated_patterns_never_escape_an_exception()
    {
        var random = new Random(20_261_122);
        var pieces = new[] { "[", "]", "(", ")", ":", ".", ",", "*", "'", "\\", "=", "!=", "<", ">=", " AND ", " OR ", " NOT ", " FOLLOWEDBY ", " IN ", " LIKE ", " MATCHES ", " EXISTS ", " WITHIN ", " SECONDS", " REPEATS ", " TIMES", " START ", " STOP ", "t'", "h'", "b'", "file", "ipv4-addr", "value", "name", "1", "-2", "3.5", "true", "x", "'a'", " " };
        var valid = ValidPatterns;
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            string pattern;
            if (i % 2 == 0)
            {
                var count = random.Next(1, 30);
                pattern = string.Concat(Enumerable.Range(0, count).Select(_ => pieces[random.Next(pieces.Length)]));
            }
            else
            {
                var chars = valid[random.Next(valid.Length)].ToCharArray().ToList();
                for (var m = random.Next(1, 4); m > 0 && chars.Count > 0; m--)
                {
                    var at = random.Next(chars.Count);
                    switch (random.Next(3))
                    {
                        case 0: chars.RemoveAt(at); break;
                        case 1: chars.Insert(at, Inserted[random.Next(Inserted.Length)]); break;
                        default: chars[at] = (char)random.Next(32, 127); break;
                    }
                }

                pattern = new string([.. chars]);
            }

            var result = StixPattern.Parse(pattern);
            (result.Expression is not null || result.Problems.Any(p => p.Severity == StixSeverity.Error)).Should().BeTrue(pattern);
            parsed += result.Expression is null ? 0 : 1;
        }

        // Some mutations still parse (a changed letter in a literal); most do not. Both kinds were exercised.
        parsed.Should().BeInRange(100, 19_900);
    }
}
