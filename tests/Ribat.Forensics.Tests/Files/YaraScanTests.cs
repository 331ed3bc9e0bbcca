using Ribat.Forensics.Detection.Yara;

namespace Ribat.Forensics.Tests.Files;

/// <summary>Runs only where libyara is installed (<c>.ci/run</c> installs it); elsewhere skipped with the reason.</summary>
public sealed class YaraFactAttribute : FactAttribute
{
    public YaraFactAttribute()
    {
        if (YaraRuleSet.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}

public sealed class YaraScanTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ribat-yara-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_scratch, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Rules = """
        rule Evil_Gate : web c2
        {
            meta:
                author = "CERT"
                score = 75
                active = true
            strings:
                $url = "gate.php"
                $wide = "CONFIG" wide
                $hex = { 4D 5A }
            condition:
                $url and $wide and $hex at 0
        }

        rule Never { condition: false }
        """;

    [YaraFact]
    public void A_match_carries_rule_namespace_tags_metadata_and_each_matched_string()
    {
        var rules = Write("rules/evil.yar", Rules);
        var sample = PeBuilder.Build();
        "http://bad.example.com/gate.php\0"u8.CopyTo(sample.AsSpan(0x300));
        var target = Path.Combine(_scratch, "sample.dll");
        File.WriteAllBytes(target, sample);

        var (set, problems) = YaraRuleSet.Compile([Path.Combine(_scratch, "rules")]);
        using var compiled = set!;
        using var scanner = new YaraScanner(compiled);
        var result = scanner.Scan(target);

        problems.Should().BeEmpty();
        compiled.Files.Should().Be(1);
        result.Error.Should().BeNull();
        var match = result.Matches.Should().ContainSingle().Subject;
        match.Rule.Should().Be("Evil_Gate");
        match.Namespace.Should().Be(rules);
        match.Tags.Should().Equal("web", "c2");
        match.Meta.Should().Equal(
            new KeyValuePair<string, object>("author", "CERT"),
            new KeyValuePair<string, object>("score", 75L),
            new KeyValuePair<string, object>("active", true));
        match.Strings.Should().Contain(new YaraStringMatch("$url", 0x317, 8, "gate.php"));
        match.Strings.Should().Contain(new YaraStringMatch("$hex", 0, 2, "MZ"));
        match.Strings.Should().Contain(s => s.Identifier == "$wide" && s.Offset == 0x8C2 && s.Length == 12 && s.Preview == "C\\x00O\\x00N\\x00F\\x00I\\x00G\\x00");
    }

    [YaraFact]
    public void A_rule_file_that_does_not_compile_is_reported_with_its_line_and_the_others_still_load()
    {
        Write("rules/good.yar", "rule Good { strings: $a = \"needle\" condition: $a }");
        var bad = Write("rules/bad.yar", "rule Bad {\n  strings:\n    $a = \"x\"\n  condition:\n    $b\n}\n");
        Write("rules/other/also-good.yara", "rule Good { condition: filesize > 3 }");
        var target = Write("haystack.txt", "a needle in here");

        var (set, problems) = YaraRuleSet.Compile([Path.Combine(_scratch, "rules")]);
        using var compiled = set!;
        var result = new YaraScanner(compiled).Scan(target);

        var problem = problems.Should().ContainSingle().Subject;
        problem.File.Should().Be(bad);
        // yara 4.2.3 itself says: error: rule "Bad" in bad.yar(6): undefined string "$b" (the line after the condition's last token).
        problem.Line.Should().Be(6);
        problem.Message.Should().Be("undefined string \"$b\"");
        compiled.Files.Should().Be(2);
        result.Matches.Select(m => m.Rule).Should().Equal("Good", "Good");
    }

    [YaraFact]
    public void Missing_rules_and_a_folder_of_only_broken_rules_give_no_set_and_say_why()
    {
        Write("broken/x.yar", "rule {");

        var (set, problems) = YaraRuleSet.Compile([Path.Combine(_scratch, "nowhere.yar"), Path.Combine(_scratch, "broken")]);

        set.Should().BeNull();
        problems.Should().Contain(p => p.File.EndsWith("nowhere.yar") && p.Message == "does not exist");
        problems.Should().Contain(p => p.File.EndsWith("x.yar") && p.Line == 1);
    }

    [YaraFact]
    public void Empty_vanished_and_random_files_scan_without_throwing()
    {
        Write("rules/r.yar", "rule Any { strings: $a = { 00 01 02 } condition: $a or filesize == 0 }");
        var empty = Write("empty.bin", string.Empty);
        var random = Path.Combine(_scratch, "random.bin");
        File.WriteAllBytes(random, TestBytes.Random(2_000_000, 4));

        var (set, _) = YaraRuleSet.Compile([Path.Combine(_scratch, "rules")]);
        using var compiled = set!;
        using var scanner = new YaraScanner(compiled);

        scanner.Scan(empty).Matches.Should().ContainSingle(m => m.Rule == "Any", "filesize == 0");
        scanner.Scan(random).Error.Should().BeNull();
        scanner.Scan(Path.Combine(_scratch, "vanished.bin")).Error.Should().NotBeNullOrEmpty();
    }

    [YaraFact]
    public void Two_threads_with_their_own_scanners_share_one_rule_set()
    {
        Write("rules/r.yar", "rule Needle { strings: $a = \"needle\" condition: #a == 3 }");
        var files = Enumerable.Range(0, 40).Select(i => Write($"f{i}.txt", i % 2 == 0 ? "needle needle needle" : "hay")).ToArray();
        var (set, _) = YaraRuleSet.Compile([Path.Combine(_scratch, "rules")]);
        using var compiled = set!;

        var hits = new int[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 },
            () => new YaraScanner(compiled),
            (i, _, scanner) => { hits[i] = scanner.Scan(files[i]).Matches.Count; return scanner; },
            scanner => scanner.Dispose());

        hits.Should().Equal(Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? 1 : 0));
    }

    [YaraFact]
    public void Each_string_lists_its_first_hundred_matches_with_offsets_and_escaped_previews()
    {
        Write("rules/r.yar", """
            rule Many : repeated { meta: kind = "count" strings: $w = "word" nocase $s = { 5C 00 FF } condition: #w == 250 and $s }
            rule Sized { condition: filesize > 10 }
            """);
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 250; i++)
        {
            text.Append(i % 2 == 0 ? "word " : "WORD ");
        }

        var target = Path.Combine(_scratch, "words.bin");
        File.WriteAllBytes(target, [.. System.Text.Encoding.ASCII.GetBytes(text.ToString()), 0x5C, 0x00, 0xFF]);
        var (set, _) = YaraRuleSet.Compile([Path.Combine(_scratch, "rules")]);
        using var compiled = set!;
        using var scanner = new YaraScanner(compiled);

        var result = scanner.Scan(target);

        result.Error.Should().BeNull();
        result.Warnings.Should().BeEmpty();
        var many = result.Matches.Should().ContainSingle(m => m.Rule == "Many").Subject;
        many.Tags.Should().Equal("repeated");
        many.Meta.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, object>("kind", "count"));
        var words = many.Strings.Where(s => s.Identifier == "$w").ToList();
        words.Should().HaveCount(100, "at most 100 matches of a string are listed");
        words.Select(s => s.Offset).Should().Equal(Enumerable.Range(0, 100).Select(i => i * 5L));
        words.Select(s => s.Preview).Should().Equal(Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? "word" : "WORD"));
        many.Strings.Should().ContainSingle(s => s.Identifier == "$s").Which.Should().Be(new YaraStringMatch("$s", 1250, 3, "\\\\\\x00\\xff"));
        result.Matches.Should().ContainSingle(m => m.Rule == "Sized").Which.Strings.Should().BeEmpty();
    }

    [YaraFact]
    public void A_scan_result_stays_as_it_was_when_the_scanner_scans_the_next_file()
    {
        Write("rules/r.yar", """
            rule Needle : found { meta: score = 5 strings: $a = "needle" condition: $a }
            rule Other { strings: $b = "other" condition: $b }
            """);
        var first = Write("first.txt", "one needle and a second needle");
        var second = Write("second.txt", "other words, then a needle");
        var none = Write("none.txt", "hay");
        var (set, _) = YaraRuleSet.Compile([Path.Combine(_scratch, "rules")]);
        using var compiled = set!;
        using var scanner = new YaraScanner(compiled);

        var one = scanner.Scan(first);
        var two = scanner.Scan(second);
        var three = scanner.Scan(none);

        one.Matches.Should().ContainSingle().Which.Strings.Should().Equal(new YaraStringMatch("$a", 4, 6, "needle"), new YaraStringMatch("$a", 24, 6, "needle"));
        two.Matches.Select(m => m.Rule).Should().Equal("Needle", "Other");
        two.Matches[0].Strings.Should().Equal(new YaraStringMatch("$a", 20, 6, "needle"));
        two.Matches[0].Tags.Should().Equal("found");
        two.Matches[0].Meta.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, object>("score", 5L));
        two.Matches[1].Strings.Should().Equal(new YaraStringMatch("$b", 0, 5, "other"));
        three.Matches.Should().BeEmpty();
        one.Matches.Should().ContainSingle().Which.Strings.Should().HaveCount(2, "a later scan must not change an earlier result");
    }
}
