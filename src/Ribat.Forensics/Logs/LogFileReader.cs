namespace Ribat.Forensics.Logs;

/// <summary>
/// Reads one log file as events: recognises the format from its first bytes, then streams it line by line (CSV record
/// by record), never holding more than one line. Damaged lines are skipped and counted in <see cref="Report"/>; an I/O
/// failure or a capped archive member ends the file early with the reason in <see cref="LogReadReport.StoppedBy"/>.
/// Nothing it reads throws: the caller gets events and a report.
/// </summary>
public sealed class LogFileReader
{
    private readonly Stream _stream;
    private readonly string _sourceFile;
    private readonly LogReadOptions _options;
    private bool _started;

    private LogFileReader(Stream stream, string sourceFile, LogReadOptions options, LogSniffResult sniffed)
    {
        _stream = stream;
        _sourceFile = sourceFile;
        _options = options;
        Report = new LogReadReport(sourceFile, sniffed.Format, sniffed.Reason);
    }

    public LogFormat Format => Report.Format;

    /// <summary>Complete once <see cref="ReadEvents"/> has been enumerated to its end.</summary>
    public LogReadReport Report { get; }

    /// <summary>
    /// Reads the first bytes of <paramref name="stream"/> to recognise its format. The stream is read from where it is
    /// and is not disposed here. <paramref name="sourceFile"/> is the name events carry.
    /// </summary>
    public static LogFileReader Open(Stream stream, string sourceFile, LogReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceFile);
        options ??= new LogReadOptions();
        if (options.Validate() is { } invalid)
        {
            throw new ArgumentException(invalid, nameof(options));
        }

        var head = new byte[LogSniffer.HeadBytes];
        int length;
        try
        {
            length = PrefixedStream.ReadAtMost(stream, head);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            var failed = new LogFileReader(Stream.Null, sourceFile, options, new LogSniffResult(LogFormat.Unknown, "could not be read: " + e.Message));
            return failed;
        }

        var sniffed = LogSniffer.Sniff(head.AsSpan(0, length));
        return new LogFileReader(new PrefixedStream(head, length, stream), sourceFile, options, sniffed);
    }

    /// <summary>The file's events in file order. Enumerable once.</summary>
    public IEnumerable<LogEvent> ReadEvents()
    {
        if (_started)
        {
            throw new InvalidOperationException("The events of a log file are read once.");
        }

        _started = true;
        return Format switch
        {
            LogFormat.Csv => ReadCsv(),
            LogFormat.Syslog3164 => ReadLines(new Syslog3164Parser(_sourceFile, _options)),
            LogFormat.Syslog5424 => ReadLines(new Syslog5424Parser(_sourceFile, _options)),
            LogFormat.AccessLog => ReadLines(new AccessLogParser(_sourceFile)),
            LogFormat.JsonLines => ReadLines(new JsonLineParser(_sourceFile, _options)),
            _ => [],
        };
    }

    private IEnumerable<LogEvent> ReadLines(ILineParser parser)
    {
        using var lines = new ByteLineReader(_stream, _options.MaxLineBytes);
        var batch = new List<LogEvent>(4);
        while (NextLine(lines, parser, batch))
        {
            foreach (var logEvent in batch)
            {
                yield return logEvent;
            }

            batch.Clear();
        }
    }

    private bool NextLine(ByteLineReader lines, ILineParser parser, List<LogEvent> batch)
    {
        try
        {
            if (!lines.TryReadLine(out var line, out var overLong))
            {
                return false;
            }

            if (overLong > 0)
            {
                Report.Skip(SkipReasons.TooLong);
            }
            else if (!parser.TryParse(line, lines.LineNumber, batch, out var reason))
            {
                Report.Skip(reason!);
            }

            Report.EventsRead += batch.Count;
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Report.StoppedBy = $"reading stopped after line {lines.LineNumber}: {e.Message}";
            return false;
        }
    }

    private IEnumerable<LogEvent> ReadCsv()
    {
        var csv = new CsvLogReader(_sourceFile, _options, Report);
        using var text = CsvLogReader.OpenText(_stream);
        var tokenizer = csv.CreateTokenizer();
        bool more;
        do
        {
            more = NextChunk(csv, text, tokenizer);
            while (csv.Ready.TryDequeue(out var logEvent))
            {
                Report.EventsRead++;
                yield return logEvent;
            }
        }
        while (more);
    }

    private bool NextChunk(CsvLogReader csv, TextReader text, Exchange.CsvTokenizer tokenizer)
    {
        try
        {
            return csv.Pump(text, tokenizer);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Report.StoppedBy = "reading stopped: " + e.Message;
            return false;
        }
    }
}
