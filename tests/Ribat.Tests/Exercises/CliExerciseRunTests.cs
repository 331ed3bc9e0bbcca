using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Exercises;

/// <summary><c>ribat exercise run</c> and <c>report</c>: bad files and options exit 2 with one line; a node that is down fails its injects and the run goes on.</summary>
public sealed class CliExerciseRunTests : IDisposable
{
    private const string Scenario = """
        name: Worm outbreak
        timeScale: 60
        nodes:
          - { id: jo, name: Amman, country: JO }
          - { id: ma, name: Rabat, country: MA }
        organisations:
          - { id: jo-cert, node: jo, name: JO-CERT, country: JO, kind: cert }
          - { id: ma-cert, node: ma, name: maCERT, country: MA, kind: cert }
        injects:
          - { at: 0m, type: incident, node: jo, organisation: jo-cert, title: Encrypted files, category: malicious-code:infected-system, severity: high }
          - { at: 1m, type: email, node: ma, organisation: ma-cert, subject: Ransom notes }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("ribat-exercise-run-").FullName;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Bad_files_and_options_are_refused_with_one_line_and_exit_2()
    {
        var file = Write("ok.yaml", Scenario);
        var cases = new (string[] Args, string Says)[]
        {
            (["exercise", "run", file, "--node", "jo=http://127.0.0.1:9"], "the scenario's node 'ma' has no --node ma=URL"),
            (["exercise", "run", file, "--node", "jo=ftp://x", "--node", "ma=http://127.0.0.1:9"], "is not an http(s) URL"),
            (["exercise", "run", file, "--node", "xx=http://127.0.0.1:9"], "the scenario has no node 'xx'"),
            (["exercise", "run", file, "--node", "jo"], "is not NAME=VALUE"),
            (["exercise", "run", file, "--node", "jo=http://a", "--node", "jo=http://b"], "given twice"),
            (["exercise", "run", file, "--node", "jo=http://127.0.0.1:9", "--node", "ma=http://127.0.0.1:9", "--time-scale", "0"], "--time-scale must be from"),
            (["exercise", "run", file, "--node", "jo=http://127.0.0.1:9", "--node", "ma=http://127.0.0.1:9", "--token", "secret-without-name"], "'=…' is not NAME=VALUE"),
            (["exercise", "report", Guid.NewGuid().ToString(), "--node", "http://127.0.0.1:9", "--token", "t", "--format", "pdf"], "is not markdown or json"),
            (["exercise", "report", Guid.NewGuid().ToString(), "--node", "not a url", "--token", "t"], "is not an http(s) URL"),
        };
        foreach (var (args, says) in cases)
        {
            var result = await RibatProcess.RunAsync(args);
            result.ExitCode.Should().Be(2, string.Join(' ', args));
            result.Stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain(says);
            result.Stderr.Should().NotContain("secret-without-name", "a token is never echoed");
        }

        var broken = Write("broken.yaml", Scenario.Replace("at: 1m", "at: soon", StringComparison.Ordinal));
        var bad = await RibatProcess.RunAsync("exercise", "run", broken, "--node", "jo=http://127.0.0.1:9", "--node", "ma=http://127.0.0.1:9");
        bad.ExitCode.Should().Be(2);
        bad.Stderr.Should().StartWith(broken + ":11:");
    }

    [Fact]
    public async Task Injects_against_a_node_that_is_down_fail_with_the_reason_and_the_run_goes_on_to_the_end()
    {
        var file = Write("ok.yaml", Scenario);
        var run = await RibatProcess.RunAsync("exercise", "run", file, "--time-scale", "600", "--node", "jo=http://127.0.0.1:9", "--node", "ma=http://127.0.0.1:9",
            "--token", "jo=t1", "--token", "ma-cert=t2", "--timeout", "5");

        run.ExitCode.Should().Be(1, run.Stderr);
        var played = run.Stdout.Split('\n').Where(l => l.Contains(" on ", StringComparison.Ordinal) && l.Contains("line ", StringComparison.Ordinal)).ToList();
        played.Should().HaveCount(2, "the second inject is played although the first failed");
        played[0].Should().Contain("line 10 incident on jo for jo-cert: FAILED:");
        played[1].Should().Contain("line 11 email on ma for ma-cert: FAILED:");
        run.Stdout.Should().Contain("0 of 2 injects played, 2 failed.");

        var report = await RibatProcess.RunAsync("exercise", "report", Guid.NewGuid().ToString(), "--node", "http://127.0.0.1:9", "--token", "t");
        report.ExitCode.Should().Be(1);
        report.Stderr.Trim().Split('\n').Should().ContainSingle();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
