using System.Text.Encodings.Web;
using System.Text.Json;
using MimeKit;
using Ribat.Core.Common;
using Ribat.Forensics.Email;
using Ribat.Forensics.Files;
using Ribat.Forensics.Ioc;

namespace Ribat.Core.Findings;

/// <summary>One message or file as analysed, before anything is stored.</summary>
internal sealed record AnalysedPart(
    FindingKind Kind,
    int Position,
    string Title,
    string? Verdict,
    string ReportJson,
    IReadOnlyList<(string Type, string Value)> Indicators,
    IReadOnlyList<ExtractedAttachment> Attachments);

/// <summary>An attachment of a message, decoded, to be acquired as evidence of its own.</summary>
internal sealed record ExtractedAttachment(string FileName, byte[] Content);

/// <summary>
/// Runs the engines <c>ribat analyze</c> runs over evidence content, with limits a server needs: how many messages
/// one item may hold, and how many attachment bytes a message may bring in as new evidence.
/// </summary>
internal static class ContentAnalysis
{
    public const int MaxMessages = 1000;

    public const long MaxAttachmentBytes = 64L * 1024 * 1024;

    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Result<List<AnalysedPart>> Email(Stream content, string fileName)
    {
        var opened = MailboxReader.Open(content);
        if (opened.Reader is not { } reader)
        {
            return Error.Validation("content", $"{fileName} is not an e-mail: {opened.Error}");
        }

        var analyser = new EmailAnalyser();
        var parts = new List<AnalysedPart>();
        while (reader.TryRead(out var message, out var offset))
        {
            if (reader.Count > MaxMessages)
            {
                return Error.Validation("content", $"{fileName} holds more than {MaxMessages:N0} messages; analyse it with `ribat analyze email` and acquire what matters.");
            }

            var report = analyser.Analyse(message, reader.Count, offset);
            var attachments = Attachments(message, reader.Count);
            if (attachments.Error is { } tooLarge)
            {
                return tooLarge;
            }

            var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
            using (var json = new Utf8JsonWriter(buffer, Writer))
            {
                EmailReportJson.Write(json, report, fileName);
            }

            parts.Add(new AnalysedPart(
                FindingKind.Email,
                reader.Count,
                Clip(string.IsNullOrWhiteSpace(report.Subject) ? "(no subject)" : report.Subject, 1000),
                EmailReportJson.Name(report.Verdict.Level),
                System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan),
                [.. report.Indicators.Select(i => (i.Type.ToName(), i.Value))],
                attachments.Value!));
        }

        if (reader.Error is { } broken)
        {
            return Error.Validation("content", $"{fileName}: {broken}");
        }

        return parts.Count == 0 ? Error.Validation("content", $"{fileName} holds no message.") : parts;
    }

    public static List<AnalysedPart> File(Stream content, string fileName, DateTimeOffset now)
    {
        var analysis = FileAnalyzer.Analyze(content, FileAnalysisOptions.Default with { Now = now });
        var indicators = new List<(string, string)>();
        foreach (var (type, value) in (ReadOnlySpan<(string, string?)>)[("md5", analysis.Hashes.Md5), ("sha1", analysis.Hashes.Sha1), ("sha256", analysis.Hashes.Sha256), ("ssdeep", analysis.Hashes.Ssdeep)])
        {
            if (value is not null)
            {
                indicators.Add((type, value));
            }
        }

        indicators.AddRange(analysis.Strings.Indicators.Select(i => (i.Type, i.Value)));
        var json = JsonSerializer.Serialize(FileReportJson.Shape(fileName, analysis, null, null), FileReportJson.Options);
        return [new AnalysedPart(FindingKind.File, 1, Clip(analysis.Type.Description, 1000), null, json, indicators, [])];
    }

    /// <summary>The message's own attachments (an attached message as <c>.eml</c>), decoded; archives stay whole.</summary>
    private static Result<List<ExtractedAttachment>> Attachments(MimeMessage message, int position)
    {
        var found = new List<ExtractedAttachment>();
        long total = 0;
        foreach (var entity in message.Attachments)
        {
            using var bytes = new MemoryStream();
            string name;
            switch (entity)
            {
                case MessagePart attached when attached.Message is not null:
                    attached.Message.WriteTo(bytes);
                    name = entity.ContentDisposition?.FileName ?? $"message-{position}-attached-{found.Count + 1}.eml";
                    break;
                case MimePart part when part.Content is not null:
                    part.Content.DecodeTo(bytes);
                    name = part.FileName ?? $"message-{position}-attachment-{found.Count + 1}";
                    break;
                default:
                    continue;
            }

            total += bytes.Length;
            if (total > MaxAttachmentBytes)
            {
                return Error.Validation("content", $"The attachments of message {position} exceed {MaxAttachmentBytes / (1024 * 1024)} MB; acquire them one by one.");
            }

            found.Add(new ExtractedAttachment(SafeName(name, $"message-{position}-attachment-{found.Count + 1}"), bytes.ToArray()));
        }

        return found;
    }

    /// <summary>
    /// The name a sender gave, fit to name evidence: no folders, no control or format characters (a right-to-left
    /// override turns <c>exe.pdf</c> around on screen), at most 200 characters; the fallback when nothing is left.
    /// </summary>
    internal static string SafeName(string name, string fallback)
    {
        var last = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty;
        var kept = new string([.. last.Where(c => char.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
            or System.Globalization.UnicodeCategory.Surrogate or System.Globalization.UnicodeCategory.PrivateUse or System.Globalization.UnicodeCategory.OtherNotAssigned))]).Trim();
        return kept.Length == 0 || kept is "." or ".." ? fallback : Clip(kept, 200);
    }

    private static string Clip(string text, int most) => text.Length <= most ? text : text[..most];
}
