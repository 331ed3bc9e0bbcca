using System.Threading.Channels;
using Ribat.Forensics.Evtx;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Hunting;

public sealed partial class LogHunt
{
    /// <summary>Files as <see cref="LogSources"/> would list them (folders recursively, ordinal order); missing paths are unreadable.</summary>
    private List<string> ListFiles(IReadOnlyList<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (!Directory.Exists(path))
            {
                _summary.Unreadable.Add(new HuntProblem(path, "no such file or folder."));
            }
            else
            {
                try
                {
                    var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
                    var found = Directory.GetFiles(path, "*", options);
                    Array.Sort(found, StringComparer.Ordinal);
                    files.AddRange(found);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _summary.Unreadable.Add(new HuntProblem(path, "the folder could not be listed: " + e.Message));
                }
            }
        }

        return files;
    }

    /// <summary>
    /// One worker: reads and matches files until none is left, then matches the batches other workers still hand over
    /// until they all stop reading.
    /// </summary>
    private void Work(List<string> files, Func<int> next, Handover handover, Matcher matcher, CancellationToken token)
    {
        try
        {
            ReadFiles(files, next, handover, matcher, token);
        }
        catch (Exception e)
        {
            handover.Failed(e);
            throw;
        }
        finally
        {
            handover.DoneReading();
        }

        var input = handover.Reader;
        while (input.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
        {
            while (input.TryRead(out var batch))
            {
                matcher.Match(batch);
            }
        }

        matcher.Finish();
    }

    /// <summary>One reader: takes the next file until none is left; each file has its own <see cref="LogSources"/>, whose members are streamed.</summary>
    private void ReadFiles(List<string> files, Func<int> next, Handover handover, Matcher matcher, CancellationToken token)
    {
        int index;
        while ((index = next()) < files.Count)
        {
            var sources = new LogSources(_options.Sources);
            var member = 0;
            foreach (var input in sources.Enumerate([files[index]]))
            {
                token.ThrowIfCancellationRequested();
                ReadInput(input, index, member++, handover, matcher, token);
            }

            lock (_summary)
            {
                foreach (var problem in sources.Problems)
                {
                    _summary.Unreadable.Add(new HuntProblem(problem.Name, problem.Reason));
                }
            }

            Interlocked.Increment(ref _filesDone);
        }
    }

    private void ReadInput(LogInput input, int file, int member, Handover handover, Matcher matcher, CancellationToken token)
    {
        var head = new byte[8];
        int length;
        try
        {
            length = PrefixedStream.ReadAtMost(input.Content, head);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Unreadable(input.Name, "could not be read: " + e.Message);
            return;
        }

        var content = new PrefixedStream(head, length, input.Content);
        var batches = new BatchBuilder(file, member, handover, matcher, token, this);
        if (head.AsSpan(0, length).SequenceEqual("ElfFile\0"u8))
        {
            ReadEvtx(content, input.Name, batches);
        }
        else
        {
            ReadText(content, input, batches);
        }

        batches.Send();
    }

    private void ReadText(Stream content, LogInput input, BatchBuilder batches)
    {
        var reader = LogFileReader.Open(content, input.Name, _options.Read with { Modified = _options.Read.Modified ?? input.Modified });
        if (reader.Format == LogFormat.Unknown)
        {
            Unreadable(input.Name, reader.Report.FormatReason ?? "not a log format Ribat reads.");
            return;
        }

        foreach (var logEvent in reader.ReadEvents())
        {
            batches.Add(logEvent);
        }

        var report = reader.Report;
        lock (_summary)
        {
            Read(reader.Format, report.EventsRead);
            foreach (var (reason, count) in report.Skipped)
            {
                _summary.Skip(reason, count);
            }

            if (report.StoppedBy is { } stopped)
            {
                _summary.Stopped.Add(new HuntProblem(input.Name, stopped));
            }
        }
    }

    private void ReadEvtx(Stream content, string name, BatchBuilder batches)
    {
        var reader = new EvtxReader(content, _options.Evtx);
        string? stopped = null;
        using (var records = reader.ReadRecords(batches.Token).GetEnumerator())
        {
            while (true)
            {
                try
                {
                    if (!records.MoveNext())
                    {
                        break;
                    }
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    // The stream under the reader failed (a damaged gzip member, an archive past its cap): what was read stands.
                    stopped = "reading stopped: " + e.Message;
                    break;
                }

                batches.Add(EvtxEvents.ToLogEvent(records.Current, name));
            }
        }

        var report = reader.Report;
        lock (_summary)
        {
            if (report.Error is { } error)
            {
                _summary.Unreadable.Add(new HuntProblem(name, error + "."));
                return;
            }

            Read(LogFormat.Evtx, report.RecordsRead);
            foreach (var (reason, count) in report.Reasons)
            {
                _summary.Skip("EVTX: " + reason, count);
            }

            if (report.DamagedChunks > 0 || report.RecordsSkipped > 0)
            {
                _summary.EvtxDamage.Add(new HuntEvtxDamage(name, report.Chunks, report.DamagedChunks, report.RecordsSkipped));
                _summary.DamagedChunks += report.DamagedChunks;
            }

            if (stopped is not null)
            {
                _summary.Stopped.Add(new HuntProblem(name, stopped));
            }
        }
    }

    /// <summary>Counts one log read; the caller holds the summary's lock.</summary>
    private void Read(LogFormat format, long events)
    {
        _summary.Logs++;
        _summary.EventsRead += events;
        _summary.LogsByFormat[format] = _summary.LogsByFormat.GetValueOrDefault(format) + 1;
        _summary.EventsByFormat[format] = _summary.EventsByFormat.GetValueOrDefault(format) + events;
    }

    private void Unreadable(string name, string reason)
    {
        lock (_summary)
        {
            _summary.Unreadable.Add(new HuntProblem(name, reason));
        }
    }

    /// <summary>Cuts one log's events into batches and matches each, unless a worker without a file takes it.</summary>
    private sealed class BatchBuilder(int file, int member, Handover handover, Matcher matcher, CancellationToken token, LogHunt hunt)
    {
        private LogEvent[] _events = new LogEvent[BatchSize];
        private int _count;
        private long _first;

        public CancellationToken Token => token;

        public void Add(LogEvent logEvent)
        {
            _events[_count++] = logEvent;
            if (_count == _events.Length)
            {
                Send();
            }
        }

        public void Send()
        {
            if (_count == 0)
            {
                return;
            }

            var batch = new EventBatch(file, member, _first, _events, _count);
            Interlocked.Add(ref hunt._events, _count);
            _first += _count;
            _events = new LogEvent[BatchSize];
            _count = 0;
            if (!handover.TryHandOver(batch))
            {
                matcher.Match(batch);
            }
        }
    }
}
