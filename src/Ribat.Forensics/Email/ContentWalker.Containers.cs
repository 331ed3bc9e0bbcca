using System.IO.Compression;
using System.Security.Cryptography;
using MimeKit;
using Ribat.Forensics.Files;

namespace Ribat.Forensics.Email;

internal sealed partial class ContentWalker
{
    private static readonly FileType Zip = FileTypes.Named("zip");
    private static readonly FileType Message = FileTypes.Named("message");

    // The part each Office application opens first; the table only sees names near the start of the zip.
    private static readonly Dictionary<string, string> OfficeParts = new(StringComparer.Ordinal)
    {
        ["docx"] = "word/document.xml",
        ["xlsx"] = "xl/workbook.xml",
        ["pptx"] = "ppt/presentation.xml",
    };

    private void Inspect(ReadOnlyMemory<byte> data, string? fileName, string declared, string path, int depth)
    {
        if (!TryCount())
        {
            return;
        }

        var detected = FileTypes.Detect(data.Span[..Math.Min(data.Length, FileTypes.HeadLength)]);
        var isMessage = detected.Kind == FileKind.Message || declared == Message.MediaType ||
            (fileName?.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) ?? false);
        if (isMessage && detected == FileTypes.Text)
        {
            detected = Message;
        }

        if (detected.Type == Zip.Type || detected.Refines == Zip.Type)
        {
            OpenZip(data, fileName, declared, detected, path, depth);
            return;
        }

        Attachments.Add(Describe(data.Span, fileName, declared, detected, path, depth));
        if (isMessage && detected.Kind == FileKind.Message && TryEnter(path, depth + 1))
        {
            OpenMessage(data, path, depth + 1);
        }
    }

    private static AttachmentReport Describe(ReadOnlySpan<byte> data, string? fileName, string declared, FileType detected, string path, int depth) =>
        new(path, fileName, declared, detected, data.Length,
            Convert.ToHexStringLower(MD5.HashData(data)), Convert.ToHexStringLower(SHA1.HashData(data)), Convert.ToHexStringLower(SHA256.HashData(data)), depth);

    private void OpenMessage(ReadOnlyMemory<byte> data, string path, int depth)
    {
        using var stream = new MemoryStream(data.ToArray(), writable: false);
        try
        {
            var parser = new MimeParser(new ParserOptions { MaxMimeDepth = Limits.MaxMimeDepth }, stream, MimeFormat.Entity);
            WalkMessage(parser.ParseMessage(), path + "/", depth);
        }
        catch (FormatException ex)
        {
            _anomalies.Add(new HeaderAnomaly("damaged-content", Severity.Info, $"{path}: the attached message cannot be read: {ex.Message}"));
        }
    }

    /// <summary>
    /// Lists a zip archive's members and opens them in turn. Sizes are counted as bytes actually inflated, never as
    /// the sizes the archive declares, since a zip bomb lies about them.
    /// </summary>
    private void OpenZip(ReadOnlyMemory<byte> data, string? fileName, string declared, FileType detected, string path, int depth)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(data.ToArray(), writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException ex)
        {
            Attachments.Add(Describe(data.Span, fileName, declared, detected, path, depth));
            _anomalies.Add(new HeaderAnomaly("damaged-content", Severity.Info, $"{path}: the zip archive cannot be read: {ex.Message}"));
            return;
        }

        using (archive)
        {
            var office = OfficeType(archive);
            Attachments.Add(Describe(data.Span, fileName, declared, office ?? (OfficeParts.ContainsKey(detected.Type) ? Zip : detected), path, depth));
            if (office is not null)
            {
                if (archive.GetEntry("word/vbaProject.bin") is not null || archive.GetEntry("xl/vbaProject.bin") is not null || archive.GetEntry("ppt/vbaProject.bin") is not null)
                {
                    _anomalies.Add(new HeaderAnomaly("macro", Severity.Suspicious, $"{path}: the document carries VBA macros (vbaProject.bin)."));
                }

                return; // an Office document's members are its own structure, not attachments
            }

            if (TryEnter(path, depth + 1))
            {
                OpenMembers(archive, path, depth + 1);
            }
        }
    }

    private void OpenMembers(ZipArchive archive, string path, int depth)
    {
        try
        {
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/') || !TryCount())
                {
                    continue;
                }

                var member = $"{path}/{entry.FullName}";
                if (!TryInflate(entry, member, out var bytes))
                {
                    return;
                }

                Inspect(bytes, entry.Name, "application/octet-stream", member, depth);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or IOException)
        {
            _anomalies.Add(new HeaderAnomaly("damaged-content", Severity.Suspicious,
                $"{path}: a member cannot be opened (damaged, encrypted or compressed by an unsupported method): {ex.Message}"));
        }
    }

    private bool TryInflate(ZipArchiveEntry entry, string member, out ReadOnlyMemory<byte> bytes)
    {
        bytes = default;
        var budget = Limits.MaxExpandedBytes - _expanded;
        using var output = new MemoryStream();
        using (var input = entry.Open())
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > budget)
                {
                    ReportExpansion(member, entry);
                    return false;
                }

                output.Write(buffer, 0, read);
            }
        }

        _expanded += output.Length;
        bytes = output.GetBuffer().AsMemory(0, (int)output.Length);
        return true;
    }

    private void ReportExpansion(string member, ZipArchiveEntry entry)
    {
        _expanded = Limits.MaxExpandedBytes;
        if (_sizeReported)
        {
            return;
        }

        _sizeReported = true;
        _anomalies.Add(new HeaderAnomaly("limit-reached", Severity.Suspicious,
            $"{member}: inflating it passes the limit of {Limits.MaxExpandedBytes:N0} bytes expanded per message " +
            $"({entry.CompressedLength:N0} bytes compressed, {entry.Length:N0} declared): a possible zip bomb; it and what follows are not opened."));
    }

    /// <summary>
    /// An OOXML document by its entries, which are surer than the names in the first bytes the table reads: a head
    /// that only mentions <c>word/</c> without the parts Word needs is a plain zip whose members are listed.
    /// </summary>
    private static FileType? OfficeType(ZipArchive archive)
    {
        if (archive.GetEntry("[Content_Types].xml") is null)
        {
            return null;
        }

        foreach (var (type, part) in OfficeParts)
        {
            if (archive.GetEntry(part) is not null)
            {
                return FileTypes.Named(type);
            }
        }

        return null;
    }
}
