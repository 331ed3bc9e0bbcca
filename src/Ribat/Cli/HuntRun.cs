using System.Globalization;
using Ribat.Forensics.Hunting;

namespace Ribat.Cli;

/// <summary>Runs one hunt for the command line: the output (stdout, or a file replaced whole at the end), the progress line and the summary.</summary>
internal static class HuntRun
{
    public static async Task<int> RunAsync(string[] paths, HuntOptions options, OutputFormat format, string? outPath, HuntStatus status, CancellationToken ct)
    {
        var hunt = new LogHunt(options);
        string? temp = null;
        Stream output;
        try
        {
            if (outPath is null)
            {
                output = new BufferedStream(Console.OpenStandardOutput(), 64 * 1024);
            }
            else
            {
                var full = Path.GetFullPath(outPath);
                temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
                output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CliOutput.Fail($"--out {outPath}: cannot be written: {e.Message}");
        }

        HuntSummary summary;
        await using (output)
        {
            var rows = HuntRows.Create(format, output, flushEachRow: outPath is null && !Console.IsOutputRedirected, options.Enricher);
            using var progress = HuntProgressLine.Start(hunt);
            try
            {
                summary = await hunt.RunAsync(paths, rows.Write, ct);
                rows.Finish();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                progress?.Dispose();
                Discard(temp);
                return CliOutput.Fail($"the hunt stopped: {e.Message}");
            }
            catch (OperationCanceledException)
            {
                progress?.Dispose();
                Discard(temp);
                throw;
            }
        }

        if (summary.Logs == 0)
        {
            Discard(temp);
            var why = summary.Unreadable.Count > 0 ? $" ({summary.Unreadable[0].Name}: {summary.Unreadable[0].Reason})" : "";
            return CliOutput.Fail($"no readable log among the paths given{why}.");
        }

        if (temp is not null)
        {
            File.Move(temp, outPath!, overwrite: true);
        }

        status.Print(summary, hunt.CorrelationFailures, Console.Error);
        var found = options.Timeline ? summary.Detections : summary.Reported;
        return found > 0 ? ExitCodes.Findings : ExitCodes.Ok;
    }

    private static void Discard(string? temp)
    {
        if (temp is not null && File.Exists(temp))
        {
            File.Delete(temp);
        }
    }
}

/// <summary>A progress line on stderr, redrawn four times a second, only when stderr is a terminal.</summary>
internal sealed class HuntProgressLine : IDisposable
{
    private readonly LogHunt _hunt;
    private readonly Timer _timer;
    private readonly DateTime _started = DateTime.UtcNow;
    private readonly Lock _lock = new();
    private bool _stopped;

    private HuntProgressLine(LogHunt hunt)
    {
        _hunt = hunt;
        _timer = new Timer(_ => Draw(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    public static HuntProgressLine? Start(LogHunt hunt) => Console.IsErrorRedirected ? null : new HuntProgressLine(hunt);

    private void Draw()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            var p = _hunt.Progress;
            var seconds = Math.Max(0.001, (DateTime.UtcNow - _started).TotalSeconds);
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r\u001b[Kfiles {p.FilesDone:N0}/{p.FilesTotal:N0}  events {p.Events:N0} ({p.Events / seconds:N0}/s)  detections {p.Detections:N0}"));
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            _timer.Dispose();
            Console.Error.Write("\r\u001b[K");
        }
    }
}
