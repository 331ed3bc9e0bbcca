using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ribat.Testing;

namespace Ribat.Bench;

/// <summary>
/// <c>taxii</c>: the real server over loopback. A node (<c>ribat serve</c>, its own process) is filled with indicators
/// through the API, then clients page through an organisation's collection 100 objects at a time for a fixed time:
/// pages per second and per-page latency, everything included (HTTP, authentication, the sharing predicate, the page
/// query, the audit row, the envelope). Then two nodes are made partners and indicators are recorded one by one on
/// A: the creation-to-availability latency on B is what B's own delivery records say (p50, p99).
/// </summary>
internal static class TaxiiBenchmark
{
    public static Command Create()
    {
        var ribat = new Option<string?>("--ribat") { Description = "The ribat.dll to run (default: src/Ribat/bin/Release or Debug/net10.0/ribat.dll above the working directory)." };
        var indicators = new Option<int>("--indicators") { Description = "Indicators to store before paging (each is two STIX objects).", DefaultValueFactory = _ => 5_000 };
        var seconds = new Option<int>("--seconds") { Description = "How long clients page.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Seconds the clients page before the measured window, so the server's methods are compiled at their last tier and its caches are filled, as on a node that has been serving for a while.",
            DefaultValueFactory = _ => 0,
        };
        var clients = new Option<int>("--clients") { Description = "Concurrent paging clients.", DefaultValueFactory = _ => 4 };
        var federated = new Option<int>("--federated") { Description = "Indicators recorded one by one on node A for the latency to node B (0 skips it).", DefaultValueFactory = _ => 100 };
        var output = new Option<string?>("--out") { Description = "Write the results as JSON to this file." };
        var database = new Option<string?>("--database")
        {
            Description = "PostgreSQL server connection string: the paged node keeps its store in a fresh database there (dropped afterwards) instead of SQLite.",
        };
        var command = new Command("taxii", "TAXII pages of 100 objects per second from a real node, and federation latency from node A to node B.")
        {
            ribat, indicators, seconds, warmup, clients, federated, output, database,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var dll = parsed.GetValue(ribat) ?? FindRibat();
            if (dll is null || !File.Exists(dll))
            {
                await Console.Error.WriteLineAsync("taxii: ribat.dll not found; build src/Ribat or give --ribat");
                return 2;
            }

            var startedAt = DateTimeOffset.UtcNow;
            var server = parsed.GetValue(database);
            var machine = MachineInfo.Describe(new Dictionary<string, string> { ["provider"] = server is null ? "sqlite" : "postgres" });
            PagingFigures paging;
            await using (var node = await BenchNode.StartAsync(dll, "A", cancellationToken, server))
            {
                await node.FillAsync(Math.Max(100, parsed.GetValue(indicators)), cancellationToken);
                if (parsed.GetValue(warmup) is > 0 and var warm)
                {
                    var warmed = await node.PageAsync(TimeSpan.FromSeconds(warm), Math.Max(1, parsed.GetValue(clients)), cancellationToken);
                    Console.WriteLine($"Warm-up: {warmed.Pages:N0} pages in {warmed.Seconds:N1} s, {warmed.ServerCpuMillisecondsPerPage:N3} ms of server CPU a page (not counted)");
                }

                paging = await node.PageAsync(TimeSpan.FromSeconds(Math.Max(1, parsed.GetValue(seconds))), Math.Max(1, parsed.GetValue(clients)), cancellationToken);
            }

            Console.WriteLine($"TAXII pages of 100: {paging.PagesPerSecond:N0}/s ({paging.Pages:N0} pages, {paging.Clients} clients, {paging.Seconds:N1} s); page p50 {paging.P50Milliseconds:N1} ms, p99 {paging.P99Milliseconds:N1} ms");
            Console.WriteLine($"Server CPU: {paging.ServerCpuSeconds:N2} s, {paging.ServerCpuMillisecondsPerPage:N3} ms a page, {paging.PagesPerServerCpuSecond:N0} pages per CPU-second ({paging.PagesPerServerCpuSecond * 2:N0}/s on 2 cores if the server had both)");
            if (paging.DatabaseServerCpuSeconds is { } databaseCpu)
            {
                var together = paging.ServerCpuMillisecondsPerPage + paging.DatabaseServerCpuMillisecondsPerPage;
                Console.WriteLine($"PostgreSQL server CPU: {databaseCpu:N2} s, {paging.DatabaseServerCpuMillisecondsPerPage:N3} ms a page; node and database together {together:N3} ms a page ({2000 / together:N0}/s on 2 cores if they had both)");
            }
            LatencyFigures? latency = null;
            if (parsed.GetValue(federated) is > 0 and var count)
            {
                latency = await FederationLatencyAsync(dll, count, cancellationToken);
                Console.WriteLine($"Federation A -> B: {latency.Objects} object versions, p50 {latency.P50Milliseconds:N0} ms, p99 {latency.P99Milliseconds:N0} ms (B's delivery records)");
            }

            await ResultFile.WriteAsync(parsed.GetValue(output), new TaxiiRun("taxii", startedAt, machine, parsed.GetValue(warmup), paging, latency), cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task<LatencyFigures> FederationLatencyAsync(string dll, int count, CancellationToken cancellationToken)
    {
        await using var a = await BenchNode.StartAsync(dll, "A", cancellationToken);
        await using var b = await BenchNode.StartAsync(dll, "B", cancellationToken);
        var (onA, secretForB) = await a.RecordPartnerAsync(b, cancellationToken);
        var (onB, secretForA) = await b.RecordPartnerAsync(a, cancellationToken);
        await a.SendAsync(HttpMethod.Patch, $"/api/v1/partners/{onA}", new { credential = secretForA }, cancellationToken);
        await b.SendAsync(HttpMethod.Patch, $"/api/v1/partners/{onB}", new { credential = secretForB }, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken); // both workers past their first rounds with the real credentials

        for (var i = 0; i < count; i++)
        {
            await a.SendAsync(HttpMethod.Post, "/api/v1/indicators", new
            {
                indicators = new[] { new { type = "domain", value = $"latency-{i}-{Guid.NewGuid():N}.example" } },
                sharing = new { tlp = "green", pap = "green", distribution = "connected-communities" },
            }, cancellationToken);
            await Task.Delay(100, cancellationToken);
        }

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var sync = await b.GetAsync($"/api/v1/partners/{onB}/sync", cancellationToken);
            var inbound = sync["latency"]!.AsArray().Single(l => l!["direction"]!.GetValue<string>() == "inbound")!;
            if (inbound["count"]!.GetValue<int>() >= count * 2 || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                return new LatencyFigures(inbound["count"]!.GetValue<int>(), inbound["p50Milliseconds"]?.GetValue<double>(), inbound["p99Milliseconds"]?.GetValue<double>());
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static string? FindRibat()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var candidate = Path.Combine(directory.FullName, "src", "Ribat", "bin", configuration, "net10.0", "ribat.dll");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>One <c>ribat serve</c> process on a loopback port with its own data directory, an analyst who is also node administrator, and a token.</summary>
    private sealed class BenchNode : IAsyncDisposable
    {
        private readonly string _dll;
        private readonly string _data;
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(120) };
        private readonly string? _server;
        private readonly string _databaseName;
        private Process? _process;

        private BenchNode(string dll, string name, string? server)
        {
            _dll = dll;
            Name = name;
            _data = Directory.CreateTempSubdirectory($"ribat-bench-taxii-{name.ToLowerInvariant()}-").FullName;
            Port = LoopbackPort.Free();
            _server = server;
            _databaseName = $"ribat_bench_taxii_{name.ToLowerInvariant()}_{DateTime.UtcNow:yyyyMMddHHmmss}_{Environment.ProcessId}";
        }

        /// <summary>The node's own PostgreSQL database, when it keeps its store there; null for SQLite in its data directory.</summary>
        private string? Database { get; set; }

        public string Name { get; }

        public int Port { get; }

        public string Url => $"http://127.0.0.1:{Port}";

        public string Token { get; private set; } = string.Empty;

        public Guid OrganisationId { get; private set; }

        public static async Task<BenchNode> StartAsync(string dll, string name, CancellationToken cancellationToken, string? server = null)
        {
            var node = new BenchNode(dll, name, server);
            if (server is not null)
            {
                node.Database = await ScratchDatabase.CreateAsync(server, node._databaseName, cancellationToken);
            }

            node._process = Run(dll, ["serve", .. node.StoreArguments, "--urls", node.Url], redirect: true);
            var started = Stopwatch.StartNew();
            while (!(await node.ReadyAsync(cancellationToken)))
            {
                if (node._process.HasExited || started.Elapsed > TimeSpan.FromSeconds(120))
                {
                    throw new InvalidOperationException($"node {name} did not start");
                }

                await Task.Delay(200, cancellationToken);
            }

            var email = $"bench@{name.ToLowerInvariant()}.example";
            await node.CliAsync(["admin", "org", "add", "--name", $"{name} Agency", "--country", "FR", "--kind", "cert"], cancellationToken);
            await node.CliAsync(["admin", "user", "add", "--org", $"{name} Agency", "--email", email, "--role", "analyst", "--role", "node-admin"], cancellationToken);
            node.Token = (await node.CliAsync(["admin", "token", "add", "--user", email, "--scope", "write"], cancellationToken)).Trim();
            node._http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", node.Token);
            node.OrganisationId = (await node.GetAsync("/api/v1/me", cancellationToken))["organisationId"]!.GetValue<Guid>();
            return node;
        }

        public async Task FillAsync(int count, CancellationToken cancellationToken)
        {
            for (var done = 0; done < count; done += 1000)
            {
                var batch = Enumerable.Range(done, Math.Min(1000, count - done)).Select(i => new { type = "domain", value = $"page-{i}-{Guid.NewGuid():N}.example" }).ToArray();
                await SendAsync(HttpMethod.Post, "/api/v1/indicators", new { indicators = batch, sharing = new { tlp = "green", pap = "green", distribution = "community" } }, cancellationToken);
            }
        }

        /// <summary>Clients page the organisation's collection with <c>added_after</c> from each page's last date, starting over at the end.</summary>
        public async Task<PagingFigures> PageAsync(TimeSpan duration, int clients, CancellationToken cancellationToken)
        {
            var collection = $"{Url}/taxii2/ribat/collections/{OrganisationId}/objects/?limit=100";
            var timings = new List<double>[clients];
            _process!.Refresh();
            var cpuBefore = _process.TotalProcessorTime;
            var databaseBefore = Database is null ? null : DatabaseServerCpu();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
            {
                var mine = timings[c] = [];
                string? after = null;
                while (clock.Elapsed < duration)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, after is null ? collection : $"{collection}&added_after={Uri.EscapeDataString(after)}");
                    request.Headers.TryAddWithoutValidation("Accept", "application/taxii+json;version=2.1");
                    var started = Stopwatch.GetTimestamp();
                    using var response = await _http.SendAsync(request, cancellationToken);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    response.StatusCode.EnsureIs(HttpStatusCode.OK);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    after = response.Headers.TryGetValues("X-TAXII-Date-Added-Last", out var last) ? last.First() : null;
                }
            }));
            var elapsed = clock.Elapsed.TotalSeconds;
            _process.Refresh();
            var cpu = (_process.TotalProcessorTime - cpuBefore).TotalSeconds;
            double? databaseCpu = databaseBefore is null ? null
                : DatabaseServerCpu().Sum(p => (p.Value - databaseBefore.GetValueOrDefault(p.Key)).TotalSeconds);
            var all = timings.SelectMany(t => t).Order().ToList();
            return new PagingFigures(all.Count, clients, elapsed, all.Count / elapsed, Percentile(all, 0.50), Percentile(all, 0.99),
                cpu, all.Count == 0 ? null : cpu * 1000 / all.Count, cpu > 0 ? all.Count / cpu : null)
            {
                DatabaseServerCpuSeconds = databaseCpu,
                DatabaseServerCpuMillisecondsPerPage = databaseCpu is { } d && all.Count > 0 ? d * 1000 / all.Count : null,
            };
        }

        public async Task<(Guid PartnerId, string InboundSecret)> RecordPartnerAsync(BenchNode other, CancellationToken cancellationToken)
        {
            var identity = await other.GetAsync("/api/v1/partners/identity", cancellationToken);
            var created = await SendAsync(HttpMethod.Post, "/api/v1/partners", new
            {
                name = $"Node {other.Name}",
                nodeId = identity["nodeId"]!.GetValue<Guid>(),
                apiRoot = $"{other.Url}/taxii2/ribat/",
                credential = "issued-later",
                publicKey = identity["publicKeyPem"]!.GetValue<string>(),
                tlpCeiling = "amber",
            }, cancellationToken);
            return (created["partner"]!["id"]!.GetValue<Guid>(), created["inboundSecret"]!.GetValue<string>());
        }

        public async Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken)
        {
            using var response = await _http.GetAsync(Url + path, cancellationToken);
            response.StatusCode.EnsureIs(HttpStatusCode.OK);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        }

        public async Task<JsonNode> SendAsync(HttpMethod method, string path, object body, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(method, Url + path) { Content = JsonContent.Create(body) };
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{Name} {method} {path}: {(int)response.StatusCode} {text}");
            }

            return JsonNode.Parse(text)!;
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process?.Dispose();
            _http.Dispose();
            if (Database is not null)
            {
                await ScratchDatabase.DropAsync(_server!, _databaseName);
            }

            try
            {
                Directory.Delete(_data, recursive: true);
            }
            catch (IOException)
            {
                // A file may still be held for a moment; the temp directory is cleaned by the OS.
            }
        }

        /// <summary>
        /// The processor time of every PostgreSQL server process on this machine, by process: the benchmark's server
        /// runs here, and its work for the pages is not in the node's own processor time. Read from <c>/proc</c> by the
        /// processes' command name: a backend renames its command line, which hides it from a look-up by process name.
        /// </summary>
        private static Dictionary<int, TimeSpan> DatabaseServerCpu()
        {
            const double TicksPerSecond = 100; // USER_HZ on Linux
            var times = new Dictionary<int, TimeSpan>();
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), out var pid))
                {
                    continue;
                }

                try
                {
                    // pid (comm) state ppid …: utime and stime are the 14th and 15th fields.
                    var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                    var close = stat.LastIndexOf(')');
                    if (stat[(stat.IndexOf('(') + 1)..close] != "postgres")
                    {
                        continue;
                    }

                    var fields = stat[(close + 2)..].Split(' ');
                    var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
                    times[pid] = TimeSpan.FromSeconds(ticks / TicksPerSecond);
                }
                catch (IOException)
                {
                    // The process ended between the listing and the reading.
                }
            }

            return times;
        }

        /// <summary>Where the node's store is: its data directory, and its PostgreSQL database when it has one.</summary>
        private string[] StoreArguments => Database is { } database ? ["--data", _data, "--database", database] : ["--data", _data];

        private async Task<bool> ReadyAsync(CancellationToken cancellationToken)
        {
            try
            {
                using var response = await _http.GetAsync($"{Url}/health/ready", cancellationToken);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        private async Task<string> CliAsync(string[] args, CancellationToken cancellationToken)
        {
            using var process = Run(_dll, [.. args, .. StoreArguments], redirect: true);
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"ribat {string.Join(' ', args)}: {await stderr}");
        }

        private static Process Run(string dll, string[] args, bool redirect)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = redirect, RedirectStandardError = redirect, UseShellExecute = false };
            start.ArgumentList.Add(dll);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["RIBAT_SYNC_INTERVAL"] = "1";
            start.Environment["RIBAT_SYNC_MAX_BACKOFF"] = "2";
            var process = Process.Start(start)!;
            if (redirect && args[0] == "serve")
            {
                // Drain the server's output so it never blocks on a full pipe.
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
            }

            return process;
        }

    }

    private static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static void EnsureIs(this HttpStatusCode status, HttpStatusCode expected)
    {
        if (status != expected)
        {
            throw new InvalidOperationException($"expected {(int)expected}, got {(int)status}");
        }
    }
}

/// <summary>
/// Paging figures. The server's CPU time (user and system, read from /proc for the server process alone) gives a figure
/// the load of the shared machine does not move: pages per CPU-second, twice that for the two cores the target names.
/// </summary>
internal sealed record PagingFigures(
    int Pages, int Clients, double Seconds, double PagesPerSecond, double? P50Milliseconds, double? P99Milliseconds,
    double ServerCpuSeconds, double? ServerCpuMillisecondsPerPage, double? PagesPerServerCpuSecond)
{
    /// <summary>With <c>--database</c>: the PostgreSQL server's processor time over the same window, which the node's own leaves out.</summary>
    public double? DatabaseServerCpuSeconds { get; init; }

    public double? DatabaseServerCpuMillisecondsPerPage { get; init; }
}

internal sealed record LatencyFigures(int Objects, double? P50Milliseconds, double? P99Milliseconds);

internal sealed record TaxiiRun(string Benchmark, DateTimeOffset StartedAt, MachineInfo Machine, int WarmupSeconds, PagingFigures Paging, LatencyFigures? Federation);
