using System.Diagnostics;
using System.Net;
using System.Text;
using Ribat.Testing;

namespace Ribat.Web.Tests.Browser;

/// <summary>
/// A real node: the built ribat.dll started as its own process on a free loopback port with a fresh data
/// directory, exactly as an operator would run it. Disposing kills it and deletes the data.
/// </summary>
public sealed class RibatNode : IAsyncDisposable
{
    public const string AdminEmail = "admin@ribat.local";
    public const string AdminPassword = "first-login-pass-123";

    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly StringBuilder _output = new();

    private RibatNode(Process process, string dataDirectory, Uri address)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>What the node printed, for the failure message when something goes wrong.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<RibatNode> StartAsync()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ribat.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"ribat.dll is not in the test output ({dll}); the test project must reference src/Ribat.");
        }

        var data = Directory.CreateTempSubdirectory("ribat-ui-test-").FullName;
        var address = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "serve", "--data", data, "--urls", address.ToString().TrimEnd('/') },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["RIBAT_ADMIN_PASSWORD"] = AdminPassword;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The pages the tests capture are served on loopback.
        start.Environment["Ribat__Capture__AllowLoopback"] = "true";
        start.Environment["RIBAT_GEOIP_ASN"] = SharedCorpus.Path("geoip", "GeoLite2-ASN-Test.mmdb");
        start.Environment["RIBAT_GEOIP_CITY"] = SharedCorpus.Path("geoip", "GeoIP2-City-Test.mmdb");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var node = new RibatNode(process, data, address);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await node.WaitUntilReadyAsync();
        return node;
    }

    /// <summary>Runs the node's own shell against its data directory, as an operator would while it serves; what it printed.</summary>
    public async Task<string> RunCliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ribat.dll"));
        foreach (var argument in arguments.Concat(["--data", _dataDirectory]))
        {
            start.ArgumentList.Add(argument);
        }

        using var cli = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = cli.StandardOutput.ReadToEndAsync();
        var errors = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        if (cli.ExitCode != 0)
        {
            throw new InvalidOperationException($"ribat {string.Join(' ', arguments)} failed ({cli.ExitCode}):\n{await output}{await errors}");
        }

        return await output;
    }

    /// <summary>Runs a command that needs no node storage (<c>ribat verify PACKAGE.zip</c>): its exit code and all it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunOfflineAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ribat.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var cli = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = cli.StandardOutput.ReadToEndAsync();
        var errors = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return (cli.ExitCode, await output + await errors);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The node exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting up; try again.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The node was not ready within 60 s:\n{Output}");
    }


    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp directory is cleaned by the OS eventually.
        }
    }
}
