using System.Buffers;
using System.Text;

namespace Ribat.Forensics.Exchange;

/// <summary>A parser that is fed text in chunks, so one parser serves synchronous and asynchronous readers alike.</summary>
internal interface ITextSink
{
    /// <summary>Set when the parser has read enough (a row limit, a preview); the rest of the input is left unread.</summary>
    bool Stopped { get; }

    void Feed(ReadOnlySpan<char> chunk);

    /// <summary>The end of the input.</summary>
    void Complete();
}

/// <summary>Moves text from a reader into a sink in pooled chunks. Streams are decoded as UTF-8 (or per their byte order mark).</summary>
internal static class TextPump
{
    private const int ChunkSize = 16 * 1024;

    public static StreamReader Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, ChunkSize, leaveOpen: true);
    }

    public static void Run(TextReader reader, ITextSink sink)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var buffer = ArrayPool<char>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while (!sink.Stopped && (read = reader.Read(buffer, 0, ChunkSize)) > 0)
            {
                sink.Feed(buffer.AsSpan(0, read));
            }

            if (!sink.Stopped)
            {
                sink.Complete();
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    public static async Task RunAsync(TextReader reader, ITextSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var buffer = ArrayPool<char>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while (!sink.Stopped && (read = await reader.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                sink.Feed(buffer.AsSpan(0, read));
            }

            if (!sink.Stopped)
            {
                sink.Complete();
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
