using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Ribat.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>The real <c>ribat</c> executable (<c>dotnet ribat.dll</c>) as a subprocess, always with a time limit.</summary>
public sealed class RibatProcess : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly ConcurrentQueue<string> _lines = new();

    private RibatProcess(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ribat.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The child sees only what the test says: no RIBAT_* from the developer's shell.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("RIBAT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Collect(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Collect(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }

        _lines.Enqueue(line);
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static RibatProcess Start(params string[] args) => new(args);

    /// <summary>Starts with <paramref name="environment"/> set in the child, for settings read from variables.</summary>
    public static RibatProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) => new(args, environment);

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        await using var process = new RibatProcess(args);
        return await process.WaitAsync(DefaultTimeout);
    }

    /// <summary>Runs with <paramref name="environment"/> set in the child, for settings read from variables.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        await using var process = new RibatProcess(args, environment);
        return await process.WaitAsync(DefaultTimeout);
    }

    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"ribat did not exit within {timeout}.\nstdout: {Stdout}\nstderr: {Stderr}");
        }

        _process.WaitForExit(); // drains the output readers
        return new CliResult(_process.ExitCode, Stdout, Stderr);
    }

    /// <summary>Waits until stdout holds a line matching <paramref name="predicate"/>, or the process exits.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var match = Stdout.Split('\n').FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }

            if (_process.HasExited)
            {
                return null;
            }

            await Task.Delay(100);
        }

        return null;
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
