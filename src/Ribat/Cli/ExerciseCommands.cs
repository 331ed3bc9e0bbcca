using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Ribat.Core.Exercises;

namespace Ribat.Cli;

/// <summary>
/// <c>ribat exercise check FILE</c> checks a scenario file without any node; <c>run</c> plays it against real
/// nodes through their API; <c>report</c> prints a run's after-action report.
/// </summary>
internal static class ExerciseCommands
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The scenario file (YAML)." };
        var check = new Command("check",
            "Check a scenario file: every problem is printed as FILE:LINE:COLUMN: reason, and the exit code is 2; a valid file prints a summary and exits 0.") { file };
        check.SetAction(parsed => Check(parsed.GetValue(file)!));
        return new Command("exercise", "Exercise scenarios: nodes, organisations and injects at time offsets.") { check, Run(), Report() };
    }

    /// <summary>Reads and checks a scenario file; on any problem prints them (FILE:LINE:COLUMN: reason) and answers the exit code.</summary>
    internal static (Scenario? Scenario, string Text, int Exit) Read(string path)
    {
        string text;
        try
        {
            if (new FileInfo(path).Length > ScenarioParser.MaxBytes)
            {
                return (null, string.Empty, CliOutput.Fail($"{path}: larger than {ScenarioParser.MaxBytes / 1024} KiB; a scenario file is smaller."));
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, string.Empty, CliOutput.Fail($"{path}: cannot be read ({ex.Message.TrimEnd('.')})."));
        }

        var reading = ScenarioParser.Parse(text);
        if (!reading.IsValid)
        {
            foreach (var problem in reading.Problems)
            {
                Console.Error.WriteLine($"{path}:{problem.Line}:{problem.Column}: {problem.Reason}");
            }

            return (null, text, ExitCodes.Usage);
        }

        return (reading.Scenario, text, ExitCodes.Ok);
    }

    private static int Check(string path)
    {
        var (scenario, _, exit) = Read(path);
        if (scenario is null)
        {
            return exit;
        }

        var s = scenario;
        var last = s.Injects.Count == 0 ? TimeSpan.Zero : s.Injects[^1].At;
        Console.WriteLine($"{s.Name}: {s.Nodes.Count} nodes, {s.Organisations.Count} organisations, {s.Injects.Count} injects over {last}, time scale {s.TimeScale}.");
        return ExitCodes.Ok;
    }

    private static Command Run()
    {
        var file = new Argument<string>("FILE") { Description = "The scenario file (YAML)." };
        var scale = new Option<double?>("--time-scale") { Description = "Play this many scenario seconds per second (0.01 to 10000); default: the file's timeScale.", HelpName = "N" };
        var nodes = new Option<string[]>("--node") { Description = "A scenario node and the URL of the Ribat node that plays it (repeat for each node; several may share one URL).", HelpName = "NAME=URL", AllowMultipleArgumentsPerToken = true };
        var tokens = new Option<string[]>("--token") { Description = "The API token injects are played with: NAME is a scenario organisation, or a node for its organisations without one (repeat).", HelpName = "NAME=TOKEN", AllowMultipleArgumentsPerToken = true };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each node's answer.", DefaultValueFactory = _ => 30, HelpName = "SECONDS" };
        var command = new Command("run",
            "Play a scenario against real nodes: each inject at its offset divided by the time scale, through the node's API. " +
            "Each inject is printed with its planned and actual time; a failed one with its reason, and the run goes on. Exit 1 when an inject failed, 2 for a bad file or option.")
        {
            file, scale, nodes, tokens, timeout,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (scenario, text, exit) = Read(parsed.GetValue(file)!);
            if (scenario is null)
            {
                return exit;
            }

            if (Pairs(parsed.GetValue(nodes) ?? [], "--node", out var nodeTexts) is { } badNode)
            {
                return CliOutput.Fail(badNode);
            }

            if (Pairs(parsed.GetValue(tokens) ?? [], "--token", out var tokenTexts) is { } badToken)
            {
                return CliOutput.Fail(badToken);
            }

            var urls = new Dictionary<string, Uri>(StringComparer.Ordinal);
            foreach (var (name, url) in nodeTexts)
            {
                if (scenario.Nodes.All(n => n.Id != name))
                {
                    return CliOutput.Fail($"--node {name}: the scenario has no node '{name}' ({string.Join(", ", scenario.Nodes.Select(n => n.Id))}).");
                }

                if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    return CliOutput.Fail($"--node {name}: '{url}' is not an http(s) URL.");
                }

                urls[name] = uri;
            }

            if (scenario.Nodes.FirstOrDefault(n => !urls.ContainsKey(n.Id)) is { } unmapped)
            {
                return CliOutput.Fail($"the scenario's node '{unmapped.Id}' has no --node {unmapped.Id}=URL.");
            }

            var timeScale = parsed.GetValue(scale) ?? scenario.TimeScale;
            if (timeScale is < ScenarioParser.MinTimeScale or > ScenarioParser.MaxTimeScale || double.IsNaN(timeScale))
            {
                return CliOutput.Fail($"--time-scale must be from {ScenarioParser.MinTimeScale} to {ScenarioParser.MaxTimeScale}.");
            }

            return await PlayAsync(scenario, text, urls, tokenTexts.ToDictionary(t => t.Name, t => t.Value, StringComparer.Ordinal), timeScale,
                TimeSpan.FromSeconds(Math.Max(1, parsed.GetValue(timeout))), ct);
        });
        return command;
    }

    /// <summary>
    /// Plays <paramref name="scenario"/> against the nodes at <paramref name="urls"/> through their API, printing each
    /// inject as it is played and the runs it opened: exit 0 when every inject played, 1 when one failed or it stopped.
    /// </summary>
    internal static async Task<int> PlayAsync(Scenario scenario, string text, IReadOnlyDictionary<string, Uri> urls, IReadOnlyDictionary<string, string> tokens,
        double timeScale, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = timeout };
        var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        var target = new ApiInjectTarget(http, urls, tokens, new ExerciseInput(scenario.Name, hash, timeScale));
        Console.WriteLine($"{scenario.Name}: {scenario.Injects.Count} injects at time scale {timeScale.ToString(CultureInfo.InvariantCulture)}.");
        var results = new List<InjectResult>();
        var stopped = false;
        try
        {
            await new ScenarioRunner(TimeProvider.System).RunAsync(scenario, timeScale, target, r =>
            {
                results.Add(r);
                Console.WriteLine($"{r.ActualAt:HH:mm:ss} (planned {r.PlannedAt:HH:mm:ss}) line {r.Inject.Line} {r.Inject.Type} on {r.Inject.Node} for {r.Inject.Organisation}: " +
                    (r.Played ? "played" : $"FAILED: {r.Reason}"));
            }, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            stopped = true;
        }

        foreach (var problem in await target.EndAsync(stopped, CancellationToken.None))
        {
            Console.Error.WriteLine($"ribat: could not end the run on {problem}");
        }

        foreach (var (node, run) in target.Runs)
        {
            Console.WriteLine($"run {run} on {node} (report: ribat exercise report {run} --node {node} --token ...)");
        }

        var failed = results.Count(r => !r.Played);
        Console.WriteLine($"{results.Count - failed} of {scenario.Injects.Count} injects played, {failed} failed{(stopped ? "; stopped" : string.Empty)}.");
        return failed == 0 && !stopped ? ExitCodes.Ok : ExitCodes.Refused;
    }

    private static Command Report()
    {
        var run = new Argument<Guid>("RUN-ID") { Description = "The run's id, as `ribat exercise run` printed it." };
        var node = new Option<string>("--node") { Description = "The URL of the node that holds the run.", Required = true, HelpName = "URL" };
        var token = new Option<string?>("--token") { Description = "An API token of the organisation that ran it; or RIBAT_TOKEN.", HelpName = "TOKEN" };
        var format = new Option<string>("--format") { Description = "markdown (default) or json.", DefaultValueFactory = _ => "markdown" };
        var command = new Command("report", "Print a run's after-action report: the injects and what the organisations did, in time order, and the response times.")
        {
            run, node, token, format,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var asJson = parsed.GetValue(format) switch
            {
                "json" => true,
                "markdown" or "md" => false,
                var other => (bool?)null,
            };
            if (asJson is null)
            {
                return CliOutput.Fail($"--format '{parsed.GetValue(format)}' is not markdown or json.");
            }

            var text = parsed.GetValue(node)!;
            if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return CliOutput.Fail($"--node '{text}' is not an http(s) URL.");
            }

            var secret = parsed.GetValue(token) ?? Environment.GetEnvironmentVariable("RIBAT_TOKEN");
            if (string.IsNullOrEmpty(secret))
            {
                return CliOutput.Fail("an API token is needed: --token TOKEN or RIBAT_TOKEN.");
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(uri, $"api/v1/exercises/{parsed.GetValue(run)}/report"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct);
            }
            catch (HttpRequestException ex)
            {
                return CliOutput.Fail($"{uri}: {ex.Message}", ExitCodes.Refused);
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    return CliOutput.Fail(await ApiInjectTarget.ProblemAsync(response, ct), ExitCodes.Refused);
                }

                var body = await response.Content.ReadAsStringAsync(ct);
                Console.Write(asJson.Value ? body + Environment.NewLine
                    : AfterActionMarkdown.Write(JsonSerializer.Deserialize<AfterActionReportDto>(body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!));
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>NAME=VALUE options, each name once.</summary>
    private static string? Pairs(string[] texts, string option, out List<(string Name, string Value)> pairs)
    {
        pairs = [];
        foreach (var text in texts)
        {
            var at = text.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0 || at == text.Length - 1)
            {
                return $"{option} '{(option == "--token" ? text[..Math.Max(0, at)] + "=…" : text)}' is not NAME=VALUE.";
            }

            var name = text[..at];
            if (pairs.Any(p => p.Name == name))
            {
                return $"{option} {name} is given twice.";
            }

            pairs.Add((name, text[(at + 1)..]));
        }

        return null;
    }
}
