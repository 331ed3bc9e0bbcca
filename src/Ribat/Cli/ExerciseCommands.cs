using System.CommandLine;
using Ribat.Core.Exercises;

namespace Ribat.Cli;

/// <summary><c>ribat exercise check FILE</c>: checks a scenario file without any node.</summary>
internal static class ExerciseCommands
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The scenario file (YAML)." };
        var check = new Command("check",
            "Check a scenario file: every problem is printed as FILE:LINE:COLUMN: reason, and the exit code is 2; a valid file prints a summary and exits 0.") { file };
        check.SetAction(parsed => Check(parsed.GetValue(file)!));
        return new Command("exercise", "Exercise scenarios: nodes, organisations and injects at time offsets.") { check };
    }

    private static int Check(string path)
    {
        string text;
        try
        {
            if (new FileInfo(path).Length > ScenarioParser.MaxBytes)
            {
                return CliOutput.Fail($"{path}: larger than {ScenarioParser.MaxBytes / 1024} KiB; a scenario file is smaller.");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CliOutput.Fail($"{path}: cannot be read ({ex.Message.TrimEnd('.')}).");
        }

        var reading = ScenarioParser.Parse(text);
        if (!reading.IsValid)
        {
            foreach (var problem in reading.Problems)
            {
                Console.Error.WriteLine($"{path}:{problem.Line}:{problem.Column}: {problem.Reason}");
            }

            return ExitCodes.Usage;
        }

        var s = reading.Scenario!;
        var last = s.Injects.Count == 0 ? TimeSpan.Zero : s.Injects[^1].At;
        Console.WriteLine($"{s.Name}: {s.Nodes.Count} nodes, {s.Organisations.Count} organisations, {s.Injects.Count} injects over {last}, time scale {s.TimeScale}.");
        return ExitCodes.Ok;
    }
}
