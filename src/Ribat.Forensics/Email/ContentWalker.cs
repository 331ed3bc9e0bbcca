using System.Text;
using MimeKit;

namespace Ribat.Forensics.Email;

/// <summary>
/// Walks a message's MIME tree: text bodies go to the <see cref="LinkCollector"/>, every other part becomes an
/// <see cref="AttachmentReport"/>, and containers (attached messages, zip archives) are opened in turn within the
/// limits of <see cref="EmailLimits"/>. Container depth counts attached messages and archives, not multiparts, whose
/// nesting the parser already bounds.
/// </summary>
internal sealed partial class ContentWalker
{
    private readonly EmailAnalysisOptions _options;
    private readonly List<HeaderAnomaly> _anomalies;
    private readonly LinkCollector _links;
    private long _expanded;
    private bool _countReported;
    private bool _sizeReported;
    private bool _depthReported;
    private int _unnamed;

    public ContentWalker(EmailAnalysisOptions options, List<HeaderAnomaly> anomalies, LinkCollector links)
    {
        _options = options;
        _anomalies = anomalies;
        _links = links;
    }

    public List<AttachmentReport> Attachments { get; } = [];

    /// <summary>Senders of attached messages, for indicators.</summary>
    public List<string> NestedSenders { get; } = [];

    private EmailLimits Limits => _options.Limits;

    public void WalkMessage(MimeMessage message, string prefix, int depth)
    {
        if (depth > 0 && message.From.Mailboxes.FirstOrDefault() is { } sender)
        {
            NestedSenders.Add(sender.Address);
        }

        Walk(message.Body, prefix, depth);
    }

    private void Walk(MimeEntity? entity, string prefix, int depth)
    {
        switch (entity)
        {
            case null:
                return;
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    Walk(child, prefix, depth);
                }

                return;
            case MessagePart attached:
                AddAttachedMessage(attached, prefix, depth);
                return;
            case TextPart text when !text.IsAttachment && (text.IsPlain || text.IsHtml):
                var name = prefix + (text.IsHtml ? "HTML body" : "text body");
                if (TryText(text, name, out var body))
                {
                    _links.AddText(body, text.IsHtml, depth == 0 ? (text.IsHtml ? "html" : "text") : "attached-message", name);
                }

                return;
            case MimePart part:
                AddPart(part, prefix, depth);
                return;
        }
    }

    private bool TryText(TextPart part, string name, out string text)
    {
        try
        {
            text = part.Text ?? string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or DecoderFallbackException or NotSupportedException or FormatException)
        {
            _anomalies.Add(new HeaderAnomaly("damaged-content", Severity.Info, $"{name}: the text cannot be decoded: {ex.Message.ReplaceLineEndings(" ")}"));
            text = string.Empty;
            return false;
        }
    }

    private void AddPart(MimePart part, string prefix, int depth)
    {
        var fileName = SafeFileName(part);
        var path = prefix + (fileName ?? $"part{++_unnamed}");
        using var decoded = new MemoryStream();
        try
        {
            part.Content?.DecodeTo(decoded);
        }
        catch (Exception ex) when (ex is FormatException or IOException or InvalidOperationException or ArgumentException)
        {
            _anomalies.Add(new HeaderAnomaly("damaged-content", Severity.Info, $"{path}: the content cannot be decoded: {ex.Message.ReplaceLineEndings(" ")}"));
        }

        if (part.ContentTransferEncoding == ContentEncoding.Base64)
        {
            CheckBase64(part, path);
        }

        Inspect(decoded.GetBuffer().AsMemory(0, (int)decoded.Length), fileName, part.ContentType.MimeType.ToLowerInvariant(), path, depth);
    }

    private void AddAttachedMessage(MessagePart attached, string prefix, int depth)
    {
        if (attached.Message is null)
        {
            return;
        }

        var fileName = SafeFileName(attached);
        var path = prefix + (fileName ?? $"message{++_unnamed}.eml");
        if (!TryCount())
        {
            return;
        }

        using var bytes = new MemoryStream();
        attached.Message.WriteTo(bytes);
        var data = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
        Attachments.Add(Describe(data, fileName, attached.ContentType.MimeType.ToLowerInvariant(), Message, path, depth));
        if (TryEnter(path, depth + 1))
        {
            WalkMessage(attached.Message, path + "/", depth + 1);
        }
    }

    private static string? SafeFileName(MimeEntity entity)
    {
        var name = entity.ContentDisposition?.FileName ?? entity.ContentType.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        // A name is evidence, but control characters would break the one-line output.
        return string.Concat(name.Where(c => !char.IsControl(c))).Replace('/', '_');
    }

    /// <summary>Base64 comes in quanta of four characters; a remainder means the part was cut in transit or on purpose.</summary>
    private void CheckBase64(MimePart part, string path)
    {
        var raw = part.Content?.Stream;
        if (raw is null || !raw.CanSeek)
        {
            return;
        }

        raw.Position = 0;
        var buffer = new byte[16 * 1024];
        long letters = 0;
        int read;
        while ((read = raw.Read(buffer, 0, buffer.Length)) > 0)
        {
            foreach (var b in buffer.AsSpan(0, read))
            {
                if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'/' or (byte)'=')
                {
                    letters++;
                }
            }
        }

        raw.Position = 0;
        if (letters % 4 != 0)
        {
            _anomalies.Add(new HeaderAnomaly("truncated-content", Severity.Suspicious,
                $"{path}: the base64 content is truncated ({letters:N0} characters, not a multiple of 4); the hashes are of the bytes that could be decoded."));
        }
    }

    private bool TryCount()
    {
        if (Attachments.Count < Limits.MaxAttachments)
        {
            return true;
        }

        if (!_countReported)
        {
            _countReported = true;
            _anomalies.Add(new HeaderAnomaly("limit-reached", Severity.Suspicious,
                $"more than {Limits.MaxAttachments:N0} attachments and archive members; the rest are not listed or opened."));
        }

        return false;
    }

    private bool TryEnter(string path, int depth)
    {
        if (depth <= Limits.MaxContainerDepth)
        {
            return true;
        }

        if (!_depthReported)
        {
            _depthReported = true;
            _anomalies.Add(new HeaderAnomaly("limit-reached", Severity.Suspicious,
                $"{path}: containers are nested more than {Limits.MaxContainerDepth} deep; deeper ones are listed but not opened."));
        }

        return false;
    }
}
