namespace Ribat.Forensics.Exchange;

/// <summary>
/// Reads indicators from CSV with a header row (RFC 4180; comma, semicolon or tab, detected or given), streaming:
/// only the current record is held. Every bad row is an issue naming its line and column; good rows are kept.
/// </summary>
public static class CsvIndicatorReader
{
    public static ImportResult<IReadOnlyList<ExchangeIndicator>> Read(TextReader csv, CsvColumnMapping mapping, CsvReadOptions? options = null)
    {
        var (tokenizer, mapper) = Start(mapping, options);
        TextPump.Run(csv, tokenizer);
        return mapper.Result();
    }

    public static ImportResult<IReadOnlyList<ExchangeIndicator>> Read(Stream csv, CsvColumnMapping mapping, CsvReadOptions? options = null)
    {
        using var reader = TextPump.Open(csv);
        return Read(reader, mapping, options);
    }

    /// <summary>Reads without blocking a thread (a request body).</summary>
    public static async Task<ImportResult<IReadOnlyList<ExchangeIndicator>>> ReadAsync(Stream csv, CsvColumnMapping mapping, CsvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var reader = TextPump.Open(csv);
        var (tokenizer, mapper) = Start(mapping, options);
        await TextPump.RunAsync(reader, tokenizer, cancellationToken).ConfigureAwait(false);
        return mapper.Result();
    }

    /// <summary>A mapping guessed from header names (value/indicator/ioc, type, comment/description, tags, ...), or <c>null</c> when no column looks like the value.</summary>
    public static CsvColumnMapping? SuggestMapping(IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return CsvHeaderGuess.Suggest(header);
    }

    /// <summary>The header and the first <paramref name="rows"/> rows as written, reading no further into the input.</summary>
    public static CsvPreview Preview(TextReader csv, int rows, CsvReadOptions? options = null)
    {
        var (tokenizer, sink) = StartPreview(rows, options);
        TextPump.Run(csv, tokenizer);
        return sink.Build(tokenizer.Delimiter);
    }

    public static CsvPreview Preview(Stream csv, int rows, CsvReadOptions? options = null)
    {
        using var reader = TextPump.Open(csv);
        return Preview(reader, rows, options);
    }

    public static async Task<CsvPreview> PreviewAsync(Stream csv, int rows, CsvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var reader = TextPump.Open(csv);
        var (tokenizer, sink) = StartPreview(rows, options);
        await TextPump.RunAsync(reader, tokenizer, cancellationToken).ConfigureAwait(false);
        return sink.Build(tokenizer.Delimiter);
    }

    private static (CsvTokenizer, CsvRowMapper) Start(CsvColumnMapping mapping, CsvReadOptions? options)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        options ??= CsvReadOptions.Default;
        var mapper = new CsvRowMapper(mapping, options);
        return (new CsvTokenizer(options.Delimiter, options.MaxFieldLength, options.MaxRecordLength, mapper), mapper);
    }

    private static (CsvTokenizer, PreviewSink) StartPreview(int rows, CsvReadOptions? options)
    {
        options ??= CsvReadOptions.Default;
        var sink = new PreviewSink(Math.Max(0, rows), options.MaxIssues);
        return (new CsvTokenizer(options.Delimiter, options.MaxFieldLength, options.MaxRecordLength, sink), sink);
    }

    private sealed class PreviewSink(int wanted, int maxIssues) : ICsvRecordSink
    {
        private readonly List<IReadOnlyList<string>> _rows = [];
        private readonly IssueList _issues = new(maxIssues);
        private string[]? _header;

        public bool Record(List<string> fields, int line, CsvRecordError? error)
        {
            if (error is { } e)
            {
                _issues.Add(e.Line, _header is not null && e.Field < _header.Length ? _header[e.Field] : null, e.Reason);
            }
            else if (fields.TrueForAll(string.IsNullOrWhiteSpace))
            {
                return true;
            }
            else if (_header is null)
            {
                _header = [.. fields.Select(f => f.Trim())];
            }
            else
            {
                _rows.Add([.. fields]);
            }

            return _header is null || _rows.Count < wanted;
        }

        public CsvPreview Build(char delimiter) =>
            new(delimiter, _header ?? [], _rows, _header is null ? null : CsvHeaderGuess.Suggest(_header), _issues.Build());
    }
}
