using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ribat.Core.Exercises;
using Ribat.Web.Components.Pages.Exercises;

namespace Ribat.Cli;

/// <summary>
/// <c>ribat demo</c>: three federated nodes on loopback, one per nation of a scenario, each with its own data
/// directory, organisation and duty officer; every node records the other two as partners; then the scenario is
/// played so a newcomer watches cooperation happen in the UI. The nodes are this program's own <c>serve</c>, run as
/// child processes, and stop with it.
/// </summary>
internal static class DemoCommand
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    public static Command Create()
    {
        var port = new Option<int>("--port")
        {
            Description = "The first node listens on this loopback port, the next ones on the ports after it.",
            DefaultValueFactory = _ => 5201,
            HelpName = "PORT",
        };
        var scenarioFile = new Option<string?>("--scenario") { Description = "Play this scenario file instead of the WannaCry-style outbreak shipped with Ribat.", HelpName = "FILE" };
        var scale = new Option<double?>("--time-scale") { Description = "Play this many scenario seconds per second; default: the scenario's timeScale.", HelpName = "N" };
        var exitAfterPlay = new Option<bool>("--exit-after-play") { Description = "Stop the nodes once the scenario is played (for scripted checks) instead of running until Ctrl+C." };
        var command = new Command("demo",
            "Start three federated nodes on loopback (one per nation of the scenario, data under --data, default ./ribat-demo), " +
            "print their addresses and a login for each, and play a WannaCry-style outbreak so cooperation can be watched in the UI. " +
            "Runs until Ctrl+C. Exit 2 when the data directory is in use or a port is taken.")
        {
            port, scenarioFile, scale, exitAfterPlay,
        };
        command.SetAction((parsed, ct) =>
        {
            if (parsed.GetValue(RibatCli.Database) is not null)
            {
                return Task.FromResult(CliOutput.Fail("ribat demo keeps each node in SQLite under --data; --database is not used by it."));
            }

            return RunAsync(parsed.GetValue(RibatCli.Data) ?? "ribat-demo", parsed.GetValue(port), parsed.GetValue(scenarioFile),
                parsed.GetValue(scale), parsed.GetValue(exitAfterPlay), ct);
        });
        return command;
    }

    private sealed record DemoNode(ScenarioNode Node, ScenarioOrganisation Organisation, string Directory, int Port)
    {
        public string Url => $"http://127.0.0.1:{Port}";

        public string Email => $"duty@{Organisation.Id}.example";

        public string Password { get; init; } = string.Empty;

        public string Token { get; set; } = string.Empty;

        public Guid NodeId { get; set; }

        public string PublicKeyPem { get; set; } = string.Empty;

        public Process? Server { get; set; }
    }

    private static async Task<int> RunAsync(string data, int firstPort, string? scenarioPath, double? scale, bool exitAfterPlay, CancellationToken ct)
    {
        var (scenario, text, exit) = scenarioPath is null ? Builtin() : ExerciseCommands.Read(scenarioPath);
        if (scenario is null)
        {
            return exit;
        }

        if (scenario.Nodes.Count is < 2 or > 8)
        {
            return CliOutput.Fail($"a demo runs 2 to 8 nodes; the scenario has {scenario.Nodes.Count}.");
        }

        var timeScale = scale ?? scenario.TimeScale;
        if (timeScale is < ScenarioParser.MinTimeScale or > ScenarioParser.MaxTimeScale || double.IsNaN(timeScale))
        {
            return CliOutput.Fail($"--time-scale must be from {ScenarioParser.MinTimeScale} to {ScenarioParser.MaxTimeScale}.");
        }

        if (firstPort is < 1024 || firstPort + scenario.Nodes.Count - 1 > 65535)
        {
            return CliOutput.Fail($"--port must leave room for {scenario.Nodes.Count} ports between 1024 and 65535.");
        }

        var root = Path.GetFullPath(data);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            return CliOutput.Fail($"{root} already holds data; remove it or choose another directory with --data.");
        }

        var nodes = new List<DemoNode>();
        for (var i = 0; i < scenario.Nodes.Count; i++)
        {
            var node = scenario.Nodes[i];
            var organisation = scenario.Organisations.FirstOrDefault(o => o.Node == node.Id);
            if (organisation is null)
            {
                return CliOutput.Fail($"the scenario's node '{node.Id}' hosts no organisation; a demo node needs one.");
            }

            if (!PortIsFree(firstPort + i))
            {
                return CliOutput.Fail($"port {firstPort + i} on 127.0.0.1 is taken; choose another first port with --port.");
            }

            nodes.Add(new DemoNode(node, organisation, Path.Combine(root, node.Id), firstPort + i) { Password = NewPassword() });
        }

        try
        {
            foreach (var node in nodes)
            {
                Directory.CreateDirectory(node.Directory);
                Console.WriteLine($"Setting up {node.Node.Name} ({node.Organisation.Name}) in {node.Directory} ...");
                if (await SetUpAsync(node, ct) is { } problem)
                {
                    return CliOutput.Fail(problem, ExitCodes.Refused);
                }
            }

            foreach (var node in nodes)
            {
                node.Server = Spawn(["serve", "--data", node.Directory, "--urls", node.Url], node.Directory,
                    new Dictionary<string, string> { ["RIBAT_SYNC_INTERVAL"] = "2", ["RIBAT_SYNC_MAX_BACKOFF"] = "10" });
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            foreach (var node in nodes)
            {
                if (!await ReadyAsync(http, node, ct))
                {
                    return CliOutput.Fail($"{node.Node.Name} did not start within {StartTimeout.TotalSeconds:0} s; its log is {Path.Combine(node.Directory, "serve.log")}.", ExitCodes.Refused);
                }
            }

            var partnerIds = new Dictionary<(DemoNode Holder, DemoNode Other), Guid>();
            if (await FederateAsync(http, nodes, partnerIds, ct) is { } refused)
            {
                return CliOutput.Fail(refused, ExitCodes.Refused);
            }

            if (await AwaitDirectoriesAsync(http, nodes, ct) is { } unknown)
            {
                return CliOutput.Fail(unknown, ExitCodes.Refused);
            }

            Console.WriteLine();
            Console.WriteLine($"{scenario.Name}: {nodes.Count} federated nodes are running.");
            foreach (var node in nodes)
            {
                Console.WriteLine($"  {node.Node.Name,-20} {node.Url,-24} {node.Organisation.Name,-12} sign in as {node.Email}  password {node.Password}");
            }

            Console.WriteLine();
            var urls = nodes.ToDictionary(n => n.Node.Id, n => new Uri(n.Url + "/"), StringComparer.Ordinal);
            var tokens = nodes.ToDictionary(n => n.Node.Id, n => n.Token, StringComparer.Ordinal);
            var played = await ExerciseCommands.PlayAsync(scenario, text, urls, tokens, timeScale, TimeSpan.FromSeconds(30), ct);
            if (exitAfterPlay)
            {
                // Scripted checks read the nodes' data afterwards: stop only once every node has exchanged what the run wrote.
                if (await SettleAsync(http, nodes, partnerIds, ct) is { } unsettled)
                {
                    return CliOutput.Fail(unsettled, ExitCodes.Refused);
                }

                Console.WriteLine("Every node has exchanged what the run wrote with its partners.");
                return played;
            }

            Console.WriteLine("The nodes keep running and keep exchanging; press Ctrl+C to stop them (their data stays in " + root + ").");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop the nodes below.
            }

            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }
        finally
        {
            foreach (var node in nodes.Where(n => n.Server is not null))
            {
                Stop(node.Server!);
            }
        }
    }

    private static (Scenario? Scenario, string Text, int Exit) Builtin()
    {
        var text = BuiltInScenarios.WannaCry;
        var reading = ScenarioParser.Parse(text);
        return reading.IsValid ? (reading.Scenario, text, ExitCodes.Ok) : (null, text, CliOutput.Fail("the built-in scenario does not parse; this build is broken."));
    }

    /// <summary>The node's organisation and its duty officer (analyst, organisation and node administrator) with an API token for the injects.</summary>
    private static async Task<string?> SetUpAsync(DemoNode node, CancellationToken ct)
    {
        var storage = new[] { "--data", node.Directory };
        var kind = node.Organisation.Kind;
        var steps = new[]
        {
            new[] { "admin", "migrate" },
            ["admin", "org", "add", "--name", node.Organisation.Name, "--country", node.Organisation.Country, "--kind", kind],
            ["admin", "user", "add", "--org", node.Organisation.Name, "--email", node.Email, "--password", node.Password,
                "--role", "analyst", "--role", "liaison", "--role", "org-admin", "--role", "node-admin"],
        };
        foreach (var step in steps)
        {
            var (code, output) = await RunAsync([.. step, .. storage], node.Directory, ct);
            if (code != 0)
            {
                return $"{node.Node.Name}: 'ribat {string.Join(' ', step.Take(3))}' failed: {output.Trim()}";
            }
        }

        var (tokenCode, token) = await RunAsync(["admin", "token", "add", "--user", node.Email, "--scope", "write", .. storage], node.Directory, ct);
        if (tokenCode != 0)
        {
            return $"{node.Node.Name}: 'ribat admin token add' failed: {token.Trim()}";
        }

        node.Token = token.Trim().Split('\n')[^1].Trim();
        return null;
    }

    /// <summary>Each node records every other as a partner; the secret one issues is the credential the other presents to it.</summary>
    private static async Task<string?> FederateAsync(HttpClient http, List<DemoNode> nodes, Dictionary<(DemoNode Holder, DemoNode Other), Guid> partnerIds, CancellationToken ct)
    {
        foreach (var node in nodes)
        {
            var identity = await SendAsync(http, node, HttpMethod.Get, "/api/v1/partners/identity", null, ct);
            if (identity is null)
            {
                return $"{node.Node.Name} does not tell its identity.";
            }

            node.NodeId = identity["nodeId"]!.GetValue<Guid>();
            node.PublicKeyPem = identity["publicKeyPem"]!.GetValue<string>();
        }

        var secrets = new Dictionary<(DemoNode Issuer, DemoNode Holder), string>();
        foreach (var node in nodes)
        {
            foreach (var other in nodes.Where(o => o != node))
            {
                var created = await SendAsync(http, node, HttpMethod.Post, "/api/v1/partners", new
                {
                    name = other.Node.Name,
                    nodeId = other.NodeId,
                    apiRoot = $"{other.Url}/taxii2/ribat/",
                    credential = "issued-by-the-partner",
                    publicKey = other.PublicKeyPem,
                    distributions = new[] { "connected-communities", "sharing-group" },
                    tlpCeiling = "amber",
                }, ct);
                if (created is null)
                {
                    return $"{node.Node.Name} refused {other.Node.Name} as a partner.";
                }

                partnerIds[(node, other)] = created["partner"]!["id"]!.GetValue<Guid>();
                secrets[(node, other)] = created["inboundSecret"]!.GetValue<string>();
            }
        }

        foreach (var ((issuer, holder), secret) in secrets)
        {
            if (await SendAsync(http, holder, HttpMethod.Patch, $"/api/v1/partners/{partnerIds[(holder, issuer)]}", new { credential = secret }, ct) is null)
            {
                return $"{holder.Node.Name} did not take {issuer.Node.Name}'s credential.";
            }
        }

        return null;
    }

    /// <summary>
    /// Waits until every node knows the organisations its partners host (the first sync rounds send them), so the
    /// scenario's participants on other nodes are found by name. Null when they do; the reason after a minute.
    /// </summary>
    private static async Task<string?> AwaitDirectoriesAsync(HttpClient http, List<DemoNode> nodes, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        var missing = string.Empty;
        while (DateTimeOffset.UtcNow < deadline)
        {
            missing = string.Empty;
            foreach (var node in nodes)
            {
                var known = (await SendAsync(http, node, HttpMethod.Get, "/api/v1/partner-organisations", null, ct))?.AsArray()
                    .Select(o => o!["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
                if (nodes.Where(o => o != node).FirstOrDefault(o => !known.Contains(o.Organisation.Name)) is { } other)
                {
                    missing = $"{node.Node.Name} does not know {other.Organisation.Name} yet";
                    break;
                }
            }

            if (missing.Length == 0)
            {
                return null;
            }

            await Task.Delay(500, ct);
        }

        return $"the nodes did not learn each other's organisations within a minute: {missing}.";
    }

    /// <summary>
    /// Waits until every node has pulled from every partner after now, with nothing queued for it and no failure: then
    /// what the run wrote until now has crossed. Null when settled; the reason after a minute.
    /// </summary>
    private static async Task<string?> SettleAsync(HttpClient http, List<DemoNode> nodes, Dictionary<(DemoNode Holder, DemoNode Other), Guid> partnerIds, CancellationToken ct)
    {
        var since = DateTimeOffset.UtcNow;
        var deadline = since.AddMinutes(1);
        var waiting = "no answer yet";
        while (DateTimeOffset.UtcNow < deadline)
        {
            waiting = string.Empty;
            foreach (var ((holder, other), id) in partnerIds)
            {
                var status = (await SendAsync(http, holder, HttpMethod.Get, $"/api/v1/partners/{id}/sync", null, ct))?["status"];
                var pulled = status?["lastPullAt"]?.GetValue<DateTimeOffset>();
                if (status is null || pulled is null || pulled < since || status["queued"]!.GetValue<int>() > 0 || status["consecutiveFailures"]!.GetValue<int>() > 0)
                {
                    waiting = $"{holder.Node.Name} and {other.Node.Name} ({status?["lastError"]?.GetValue<string>() ?? "still exchanging"})";
                    break;
                }
            }

            if (waiting.Length == 0)
            {
                return null;
            }

            await Task.Delay(500, ct);
        }

        return $"the nodes did not finish exchanging within a minute: {waiting}.";
    }

    private static async Task<JsonNode?> SendAsync(HttpClient http, DemoNode node, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, node.Url + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", node.Token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"ribat: {node.Node.Name} answered {(int)response.StatusCode} to {method} {path}: {text}");
            return null;
        }

        return JsonNode.Parse(text);
    }

    private static async Task<bool> ReadyAsync(HttpClient http, DemoNode node, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (node.Server!.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await http.GetAsync($"{node.Url}/health/ready", ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250, ct);
        }

        return false;
    }

    /// <summary>This program again, with <paramref name="args"/>: its output goes to the node's <c>serve.log</c>.</summary>
    private static Process Spawn(IReadOnlyList<string> args, string directory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = Self();
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The node process did not start.");
        var log = new StreamWriter(Path.Combine(directory, "serve.log"), append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;
        return process;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The node has exited and its log is closed.
            }
        }
    }

    /// <summary>Runs this program with <paramref name="args"/> to its end: exit code and everything it printed.</summary>
    private static async Task<(int Code, string Output)> RunAsync(IReadOnlyList<string> args, string directory, CancellationToken ct)
    {
        var start = Self();
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.WorkingDirectory = directory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ribat did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, process.ExitCode == 0 ? await stdout : await stderr + await stdout);
    }

    /// <summary>How to start this program again: the executable itself, or the .NET host with this assembly.</summary>
    private static ProcessStartInfo Self()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is not known.");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };

        // Each demo node is whole in its own directory: settings from the shell (a database, addresses, an
        // administrator) would point the three nodes at one place.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("RIBAT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        if (Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(DemoCommand).Assembly.Location);
        }

        return start;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A sign-in password for the demo's duty officers: 20 letters and digits, printed once with the node's address.</summary>
    private static string NewPassword()
    {
        const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(20, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
    }
}
