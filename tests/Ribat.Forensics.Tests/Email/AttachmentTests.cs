using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Ribat.Forensics.Email;
using Ribat.Forensics.Files;

namespace Ribat.Forensics.Tests.Email;

public sealed class AttachmentTests
{
    private static readonly byte[] Executable = [.. "MZ"u8, .. new byte[126]];

    private static string WithAttachments(params (string Name, string Type, byte[] Data)[] parts)
    {
        var body = new StringBuilder();
        body.Append("--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n");
        foreach (var (name, type, data) in parts)
        {
            body.Append($"--b\r\nContent-Type: {type}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            body.Append(Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n");
        }

        body.Append("--b--\r\n");
        return Mail.Message("""
            From: a@sender.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@sender.test>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"
            """, body.ToString());
    }

    private static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(data);
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public void Each_attachment_has_its_name_types_size_and_three_hashes()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n");
        var report = Mail.Analyse(WithAttachments(("invoice.pdf", "application/pdf", pdf), ("photo.pdf", "application/pdf", Executable)));

        var first = report.Attachments[0];
        first.Should().BeEquivalentTo(new AttachmentReport("invoice.pdf", "invoice.pdf", "application/pdf", FileTypes.Named("pdf"), pdf.Length,
            Convert.ToHexStringLower(MD5.HashData(pdf)), Convert.ToHexStringLower(SHA1.HashData(pdf)), Convert.ToHexStringLower(SHA256.HashData(pdf)), 0));
        report.Attachments[1].DetectedType.Should().Be("application/x-dosexec", "the content decides, not the name");
        report.Indicators.Select(i => i.ToString()).Should().Contain([$"sha256:{first.Sha256}", $"md5:{first.Md5}", "file-name:invoice.pdf"]);
        report.Verdict.Level.Should().Be(VerdictLevel.Malicious);
        report.Verdict.Reasons.Should().Contain(r => r.Reason == "the attachment photo.pdf is an executable (application/x-dosexec).");
    }

    [Fact]
    public void Archives_and_attached_messages_are_opened_recursively()
    {
        var inner = Encoding.ASCII.GetBytes(Mail.Message("""
            From: boss@inner.test
            Subject: forwarded
            Date: Mon, 1 Jun 2026 09:00:00 +0000
            Message-ID: <2@inner.test>
            """, "Click http://inner-link.test/x\r\n"));
        var nestedZip = Zip(("deep/run.exe", Executable));
        var outer = Zip(("readme.txt", "hello"u8.ToArray()), ("forward.eml", inner), ("more.zip", nestedZip));

        var report = Mail.Analyse(WithAttachments(("bundle.zip", "application/zip", outer)));

        report.Attachments.Select(a => (a.Path, a.DetectedType, a.Depth)).Should().Equal(
            ("bundle.zip", "application/zip", 0),
            ("bundle.zip/readme.txt", "text/plain", 1),
            ("bundle.zip/forward.eml", "message/rfc822", 1),
            ("bundle.zip/more.zip", "application/zip", 1),
            ("bundle.zip/more.zip/deep/run.exe", "application/x-dosexec", 2));
        report.Urls.Should().ContainSingle(u => u.Url == "http://inner-link.test/x" && u.Source == "attached-message");
        report.Indicators.Select(i => i.ToString()).Should().Contain("email:boss@inner.test");
        report.Verdict.Level.Should().Be(VerdictLevel.Malicious);
    }

    [Fact]
    public void A_zip_bomb_stops_at_the_expansion_limit_with_a_clear_message()
    {
        var bomb = Zip(("zeros.bin", new byte[4 * 1024 * 1024]), ("after.txt", "x"u8.ToArray()));
        bomb.Length.Should().BeLessThan(64 * 1024);
        var limits = EmailLimits.Default with { MaxExpandedBytes = 1024 * 1024 };

        var report = Mail.Analyse(WithAttachments(("bomb.zip", "application/zip", bomb)), Mail.Options(limits: limits));

        report.Attachments.Select(a => a.Path).Should().Equal("bomb.zip");
        var limit = report.Anomalies.Should().ContainSingle(a => a.Kind == "limit-reached").Subject;
        limit.Message.Should().Contain("bomb.zip/zeros.bin").And.Contain("1,048,576 bytes expanded").And.Contain("zip bomb").And.Contain("4,194,304 declared");
        report.Verdict.Level.Should().Be(VerdictLevel.Suspicious);
    }

    [Fact]
    public void Nesting_and_count_limits_are_reported_once()
    {
        var doll = Zip(("core.txt", "core"u8.ToArray()));
        for (var i = 0; i < 6; i++)
        {
            doll = Zip(($"layer{i}.zip", doll));
        }

        var deep = Mail.Analyse(WithAttachments(("doll.zip", "application/zip", doll)));
        deep.Attachments.Max(a => a.Depth).Should().Be(EmailLimits.Default.MaxContainerDepth);
        deep.Anomalies.Should().ContainSingle(a => a.Kind == "limit-reached").Which.Message.Should().Contain("nested more than 4 deep");

        var many = Zip([.. Enumerable.Range(0, 50).Select(i => ($"f{i}.txt", new[] { (byte)i }))]);
        var counted = Mail.Analyse(WithAttachments(("many.zip", "application/zip", many)), Mail.Options(limits: EmailLimits.Default with { MaxAttachments = 10 }));
        counted.Attachments.Should().HaveCount(10);
        counted.Anomalies.Should().ContainSingle(a => a.Kind == "limit-reached").Which.Message.Should().Contain("more than 10 attachments");
    }

    [Fact]
    public void A_truncated_base64_attachment_is_hashed_as_far_as_it_decodes_and_reported()
    {
        var raw = WithAttachments(("cut.bin", "application/octet-stream", Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()));
        var cut = raw.Replace("--b--", string.Empty, StringComparison.Ordinal);
        cut = cut[..(cut.LastIndexOf("\r\n", cut.Length - 3, StringComparison.Ordinal) - 3)] + "\r\n";

        var report = Mail.Analyse(cut);

        report.Anomalies.Should().ContainSingle(a => a.Kind == "truncated-content").Which.Message.Should().Contain("cut.bin").And.Contain("not a multiple of 4");
        report.Attachments.Single().Size.Should().BeLessThan(300);
    }

    [Fact]
    public void A_damaged_zip_is_listed_and_reported_not_thrown()
    {
        var zip = Zip(("a.txt", "aaaa"u8.ToArray()));
        var broken = zip[..(zip.Length / 2)];

        var report = Mail.Analyse(WithAttachments(("broken.zip", "application/zip", broken)));

        report.Attachments.Single().DetectedType.Should().Be("application/zip");
        report.Anomalies.Should().ContainSingle(a => a.Kind == "damaged-content").Which.Message.Should().Contain("broken.zip: the zip archive cannot be read");
    }

    [Theory]
    [InlineData("run.js", "text/plain", "runs when opened (.js)")]
    [InlineData("invoice.pdf.scr", "application/octet-stream", "hides its real extension .scr behind .pdf")]
    public void Runnable_names_are_malicious(string name, string type, string reason)
    {
        var report = Mail.Analyse(WithAttachments((name, type, "var x = 1;"u8.ToArray())));

        report.Verdict.Level.Should().Be(VerdictLevel.Malicious);
        report.Verdict.Reasons.Should().Contain(r => r.Reason.Contains(reason));
    }
}
