namespace Ribat.Forensics.Exchange;

/// <summary>
/// Reads MISP events (MISP core format): <c>{"Event": {...}}</c>, a bare event object, or a search answer
/// <c>{"response": [{"Event": {...}}, ...]}</c>. Attributes are read at <c>Event.Attribute[]</c> and
/// <c>Event.Object[].Attribute[]</c>; see the module README for the type table. Never throws on bad input.
/// </summary>
public static class MispEventReader
{
    public static ImportResult<IReadOnlyList<ExchangeReport>> Read(Stream utf8Json, MispReadOptions? options = null)
    {
        options ??= MispReadOptions.Default;
        using var buffer = BoundedBuffer.Read(utf8Json, options.MaxInputBytes);
        return buffer.TooLarge ? TooLarge(options) : Read(buffer.Memory, options);
    }

    /// <summary>Reads the stream without blocking a thread (a request body), then parses it.</summary>
    public static async Task<ImportResult<IReadOnlyList<ExchangeReport>>> ReadAsync(Stream utf8Json, MispReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= MispReadOptions.Default;
        using var buffer = await BoundedBuffer.ReadAsync(utf8Json, options.MaxInputBytes, cancellationToken).ConfigureAwait(false);
        return buffer.TooLarge ? TooLarge(options) : Read(buffer.Memory, options);
    }

    public static ImportResult<IReadOnlyList<ExchangeReport>> Read(ReadOnlyMemory<byte> utf8Json, MispReadOptions? options = null)
    {
        options ??= MispReadOptions.Default;
        if (utf8Json.Length > options.MaxInputBytes)
        {
            return TooLarge(options);
        }

        if (utf8Json.Span.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        if (utf8Json.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return ImportResult<IReadOnlyList<ExchangeReport>>.Failed(0, null, "the input is empty.");
        }

        var issues = new IssueList(options.MaxIssues);
        var skipped = new IssueList(options.MaxIssues);
        try
        {
            var events = new MispJsonParser(utf8Json, options, issues, skipped).Parse();
            return new ImportResult<IReadOnlyList<ExchangeReport>>(events, issues.Build(), skipped.Build());
        }
        catch (MispInputException e)
        {
            return ImportResult<IReadOnlyList<ExchangeReport>>.Failed(e.Line, null, e.Message);
        }
    }

    private static ImportResult<IReadOnlyList<ExchangeReport>> TooLarge(MispReadOptions options) =>
        ImportResult<IReadOnlyList<ExchangeReport>>.Failed(0, null, $"the input is larger than {options.MaxInputBytes} bytes, the limit.");
}
