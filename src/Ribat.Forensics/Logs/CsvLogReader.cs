using System.Buffers;
using System.Globalization;
using System.Text;
using Ribat.Forensics.Exchange;

namespace Ribat.Forensics.Logs;

/// <summary>
/// CSV with a header line (RFC 4180 quoting, line breaks inside quotes, a byte order mark; comma, semicolon or tab as
/// the first line shows): header names become field names, an empty one <c>columnN</c> (1-based). A record with
/// more values than the header names the extra ones the same way; one with fewer simply has fewer fields.
/// </summary>
internal sealed class CsvLogReader : ICsvRecordSink
{
    private const int ChunkChars = 16 * 1024;

    private readonly string _sourceFile;
    private readonly LogReadOptions _options;
    private readonly LogReadReport _report;
    private readonly Queue<LogEvent> _ready = new();
    private string[]? _header;
    private int _timestampColumn = -1;

    public CsvLogReader(string sourceFile, LogReadOptions options, LogReadReport report)
    {
        _sourceFile = sourceFile;
        _options = options;
        _report = report;
    }

    /// <summary>Reads the next chunk of <paramref name="reader"/>; false at the end. Events found are in <see cref="Ready"/>.</summary>
    public bool Pump(TextReader reader, CsvTokenizer tokenizer)
    {
        var buffer = ArrayPool<char>.Shared.Rent(ChunkChars);
        try
        {
            var read = reader.Read(buffer, 0, ChunkChars);
            if (read <= 0)
            {
                tokenizer.Complete();
                return false;
            }

            tokenizer.Feed(buffer.AsSpan(0, read));
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    public Queue<LogEvent> Ready => _ready;

    public CsvTokenizer CreateTokenizer() => new(null, _options.MaxLineBytes, _options.MaxLineBytes, this);

    public static StreamReader OpenText(Stream stream) => new(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, ChunkChars, leaveOpen: true);

    public bool Record(List<string> fields, int line, CsvRecordError? error)
    {
        if (error is not null)
        {
            _report.Skip(SkipReasons.CsvRecord);
            return true;
        }

        if (fields.Count == 1 && fields[0].Length == 0)
        {
            _report.Skip(SkipReasons.Empty);
            return true;
        }

        if (_header is null)
        {
            _header = new string[fields.Count];
            var best = JsonFieldNames.NotTimestamp;
            for (var i = 0; i < fields.Count; i++)
            {
                var name = fields[i].Trim();
                _header[i] = name.Length == 0 ? ColumnName(i) : name;
                var rank = JsonFieldNames.Rank(name);
                if (rank < best)
                {
                    best = rank;
                    _timestampColumn = i;
                }
            }

            return true;
        }

        var values = new LogField[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            values[i] = new LogField(i < _header.Length ? _header[i] : ColumnName(i), fields[i]);
        }

        DateTimeOffset? timestamp = null;
        if (_timestampColumn >= 0 && _timestampColumn < fields.Count)
        {
            timestamp = JsonLineParser.ParseTimestamp(fields[_timestampColumn], isNumber: false, _options.LocalTimeZone);
        }

        _ready.Enqueue(new LogEvent(LogFormat.Csv, _sourceFile, line, timestamp, values));
        return true;
    }

    private static string ColumnName(int index) => "column" + (index + 1).ToString(CultureInfo.InvariantCulture);
}
