using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Incidents;

/// <summary><c>ribat exercise check</c>: a valid scenario is summarised; every problem is a FILE:LINE:COLUMN line and exit 2.</summary>
public sealed class CliExerciseTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ribat-exercise-").FullName;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_valid_scenario_is_summarised_and_a_broken_one_lists_every_problem_with_its_line()
    {
        var valid = Write("ok.yaml", """
            name: Worm outbreak
            timeScale: 60
            nodes:
              - { id: jo, name: Amman, country: JO }
            organisations:
              - { id: jo-cert, node: jo, name: JO-CERT, country: JO, kind: cert }
            injects:
              - { at: 0m, type: incident, node: jo, organisation: jo-cert, title: Encrypted files, category: malicious-code:infected-system, severity: high }
              - { at: 5m, type: timeline, node: jo, organisation: jo-cert, text: Samples collected }
            """);
        var ok = await RibatProcess.RunAsync("exercise", "check", valid);
        ok.ExitCode.Should().Be(0, ok.Stderr);
        ok.Stdout.Should().Contain("Worm outbreak: 1 nodes, 1 organisations, 2 injects");

        var broken = Write("broken.yaml", """
            name: Worm outbreak
            nodes:
              - { id: jo, name: Amman, country: JO }
            organisations:
              - { id: jo-cert, node: jo, name: JO-CERT, country: JO }
            injects:
              - { at: yesterday, type: incident, node: jo, organisation: jo-cert, title: x, category: nope, severity: high }
            """);
        var bad = await RibatProcess.RunAsync("exercise", "check", broken);
        bad.ExitCode.Should().Be(2);
        var lines = bad.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2).And.OnlyContain(l => l.StartsWith(broken + ":7:", StringComparison.Ordinal));
        bad.Stderr.Should().Contain("at 'yesterday'").And.Contain("category 'nope'");

        var missing = await RibatProcess.RunAsync("exercise", "check", Path.Combine(_directory, "absent.yaml"));
        missing.ExitCode.Should().Be(2);
        missing.Stderr.Trim().Split('\n').Should().ContainSingle();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
