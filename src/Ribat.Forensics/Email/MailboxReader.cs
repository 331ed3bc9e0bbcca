using MimeKit;

namespace Ribat.Forensics.Email;

public enum MailFormat
{
    /// <summary>One RFC 5322 message (<c>.eml</c>).</summary>
    Message,

    /// <summary>Messages each introduced by a <c>From </c> line (mboxo/mboxrd).</summary>
    Mbox,
}

/// <summary>Either a reader positioned at the first message, or one line saying why the input is not mail.</summary>
public sealed class MailboxOpenResult
{
    private MailboxOpenResult(MailboxReader? reader, string? error)
    {
        Reader = reader;
        Error = error;
    }

    public MailboxReader? Reader { get; }

    public string? Error { get; }

    internal static MailboxOpenResult Opened(MailboxReader reader) => new(reader, null);

    internal static MailboxOpenResult Failed(string error) => new(null, error);
}

/// <summary>
/// Reads the messages of an <c>.eml</c> file or an mbox, recognised by content: an mbox starts with a <c>From </c>
/// line, a message with a header field. The stream must be seekable (it is sniffed, then read from its start) and is
/// not disposed. MIME nesting deeper than <see cref="EmailLimits.MaxMimeDepth"/> is kept as opaque parts.
/// </summary>
public sealed class MailboxReader
{
    private const int SniffLength = 4096;
    private readonly MimeParser _parser;
    private bool _done;

    private MailboxReader(MimeParser parser, MailFormat format)
    {
        _parser = parser;
        Format = format;
    }

    public MailFormat Format { get; }

    /// <summary>Messages returned so far.</summary>
    public int Count { get; private set; }

    /// <summary>Why reading stopped early, or null when the input was read to its end.</summary>
    public string? Error { get; private set; }

    public static MailboxOpenResult Open(Stream stream, EmailLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            return MailboxOpenResult.Failed("the input cannot be read twice (not seekable).");
        }

        var start = stream.Position;
        Span<byte> head = stackalloc byte[SniffLength];
        var length = stream.ReadAtLeast(head, SniffLength, throwOnEndOfStream: false);
        stream.Position = start;
        if (length == 0)
        {
            return MailboxOpenResult.Failed("the file is empty.");
        }

        var text = head[..length].TrimStart("\r\n"u8);
        if (text.IsEmpty || text.TrimStart(" \t\r\n"u8).IsEmpty)
        {
            return MailboxOpenResult.Failed("the file holds only blank space.");
        }

        MailFormat format;
        if (text.StartsWith("From "u8))
        {
            format = MailFormat.Mbox;
        }
        else if (IsHeaderField(text))
        {
            format = MailFormat.Message;
        }
        else
        {
            return MailboxOpenResult.Failed("not an e-mail message or mbox: it starts with neither a header field ('Name: value') nor an mbox 'From ' line.");
        }

        var options = new ParserOptions { MaxMimeDepth = (limits ?? EmailLimits.Default).MaxMimeDepth };
        var parser = new MimeParser(options, stream, format == MailFormat.Mbox ? MimeFormat.Mbox : MimeFormat.Entity);
        return MailboxOpenResult.Opened(new MailboxReader(parser, format));
    }

    /// <summary>The next message and its byte offset; false at the end or when the rest cannot be read (see <see cref="Error"/>).</summary>
    public bool TryRead(out MimeMessage message, out long offset)
    {
        message = null!;
        offset = 0;
        if (_done || _parser.IsEndOfStream)
        {
            return false;
        }

        try
        {
            message = _parser.ParseMessage();
            offset = Format == MailFormat.Mbox ? _parser.MboxMarkerOffset : 0;
        }
        catch (FormatException ex)
        {
            _done = true;
            Error = $"message {Count + 1} cannot be read: {ex.Message.ReplaceLineEndings(" ")}";
            return false;
        }

        if (Format == MailFormat.Message)
        {
            _done = true;
        }

        Count++;
        return true;
    }

    /// <summary>'Name:' where the name is printable ASCII without ':' (RFC 5322 §2.2), on the first line.</summary>
    private static bool IsHeaderField(ReadOnlySpan<byte> text)
    {
        var colon = text.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        var name = text[..colon];
        return name.IndexOfAnyExceptInRange((byte)33, (byte)126) < 0;
    }
}
