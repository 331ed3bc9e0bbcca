using Ribat.Forensics.Detection;

namespace Ribat.Forensics.Tests.Detection;

/// <summary>
/// The full SigmaHQ rule set from the shared corpus (SigmaHQ/sigma @ 8eaafff1, Detection Rule License 1.1), read from
/// ../shared/corpus/sigma/rules* relative to the repository root: every published rule must validate.
/// </summary>
public class SigmaCorpusTests
{
    internal static string CorpusDirectory() =>
        SharedCorpus.Path("sigma");

    private static List<string> RuleFiles() =>
        Directory.EnumerateDirectories(CorpusDirectory(), "rules*")
            .SelectMany(d => Directory.EnumerateFiles(d, "*.yml", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void Every_published_rule_validates()
    {
        var files = RuleFiles();
        files.Should().HaveCountGreaterThan(3500, "the corpus holds the whole SigmaHQ rule set");
        var failures = new List<string>();
        var ids = new HashSet<string>();
        foreach (var file in files)
        {
            var result = DetectionRules.Validate(DetectionRuleKind.Sigma, File.ReadAllText(file));
            if (!result.IsValid)
            {
                failures.Add($"{Path.GetRelativePath(CorpusDirectory(), file)}: {string.Join("; ", result.Errors)}");
            }
            else
            {
                result.Title.Should().NotBeNullOrWhiteSpace(file);
                ids.Add(result.Id!).Should().BeTrue($"{file} has a unique id");
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void Every_published_rule_is_detected_as_sigma()
    {
        foreach (var file in RuleFiles().Take(500))
        {
            DetectionRules.Detect(File.ReadAllText(file)).Should().Be(DetectionRuleKind.Sigma, file);
        }
    }
}
