using Ribat.Forensics.Exchange;

namespace Ribat.Forensics.Finance;

/// <summary>
/// Reads transfers from a CSV export with a header row (RFC 4180; comma, semicolon or tab, detected or given),
/// streaming: only the current record is held. With no mapping the columns are guessed from the header names. Every
/// bad row is an issue naming its line and column and is left out whole; good rows are kept.
/// </summary>
public static class TransferReader
{
    public static MoneyImport Read(TextReader csv, string file, MoneyColumnMapping? mapping = null, MoneyReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(file);
        options ??= MoneyReadOptions.Default;
        var sink = new TransferRows(file, mapping, options, null);
        var tokenizer = new CsvTokenizer(options.Delimiter, options.MaxFieldLength, options.MaxRecordLength, sink);
        TextPump.Run(csv, tokenizer);
        return sink.Result();
    }

    public static MoneyImport Read(Stream csv, string file, MoneyColumnMapping? mapping = null, MoneyReadOptions? options = null)
    {
        using var reader = TextPump.Open(csv);
        return Read(reader, file, mapping, options);
    }

    /// <summary>
    /// Reads without keeping the transfers: each good one is handed to <paramref name="onTransfer"/> as it is read, so
    /// a graph of a file of millions of rows holds its accounts and flows, not its rows.
    /// </summary>
    public static MoneyImport Read(Stream csv, string file, MoneyColumnMapping? mapping, MoneyReadOptions? options, Action<MoneyTransfer> onTransfer)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(onTransfer);
        options ??= MoneyReadOptions.Default;
        using var reader = TextPump.Open(csv);
        var sink = new TransferRows(file, mapping, options, onTransfer);
        TextPump.Run(reader, new CsvTokenizer(options.Delimiter, options.MaxFieldLength, options.MaxRecordLength, sink));
        return sink.Result();
    }

    /// <summary>
    /// The header, the first <paramref name="rows"/> data rows (each cell cut to <paramref name="maxCell"/>
    /// characters) and the guessed mapping; reading stops there.
    /// </summary>
    public static MoneySample Sample(Stream csv, int rows, MoneyReadOptions? options = null, int maxCell = 200)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        options ??= MoneyReadOptions.Default;
        using var reader = TextPump.Open(csv);
        var sink = new SampleRows(rows, maxCell);
        TextPump.Run(reader, new CsvTokenizer(options.Delimiter, options.MaxFieldLength, options.MaxRecordLength, sink));
        return sink.Result();
    }

    /// <summary>The mapping the header names suggest, or null with the roles no column was found for.</summary>
    public static MoneyColumnMapping? SuggestMapping(IReadOnlyList<string> header, out string missing)
    {
        ArgumentNullException.ThrowIfNull(header);
        return MoneyHeaderGuess.Suggest(header, out missing);
    }
}
