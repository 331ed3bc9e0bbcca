using Ribat.Forensics.Detection;

namespace Ribat.Forensics.Tests.Detection;

public class SigmaLoaderTests
{
    [Fact]
    public void The_published_rule_set_loads_and_every_refusal_names_its_file_and_reason()
    {
        var load = SigmaCorpusRuleSet.Load;
        load.Files.Should().BeGreaterThan(3500);
        foreach (var failure in load.Failures)
        {
            File.Exists(failure.Source).Should().BeTrue();
            failure.Reason.Should().NotBeNullOrWhiteSpace();
        }

        // Measured on SigmaHQ/sigma @ 8eaafff1: the refusals are rules using a placeholder with no configured value.
        load.LoadRate.Should().BeGreaterThanOrEqualTo(0.999, string.Join("\n", load.Failures.Select(f => $"{f.Source}: {f.Reason}")));
        load.Failures.Where(f => f.Source.Contains("deprecated", StringComparison.Ordinal)).Should().BeEmpty();
    }
}
