using System.Diagnostics;
using System.Text;
using Ribat.Forensics.Email;

namespace Ribat.Forensics.Tests.Email;

public sealed class MailboxReaderTests
{
    private static string Sample(int n) => Mail.Message($"""
        Received: from out{n}.sender.test ([198.51.100.{n}]) by mx.corp.example with ESMTPS; Mon, 1 Jun 2026 10:00:0{n} +0000
        From: Sender {n} <s{n}@sender.test>
        To: bob@corp.example
        Subject: message {n}
        Date: Mon, 1 Jun 2026 10:00:00 +0000
        Message-ID: <{n}@sender.test>
        """, $"Body {n} http://link{n}.test/\r\n>From the desk of nobody: an escaped line\r\n");

    [Fact]
    public void Every_message_of_an_mbox_is_read_with_its_offset()
    {
        var mbox = new StringBuilder();
        var offsets = new List<long>();
        for (var n = 1; n <= 3; n++)
        {
            offsets.Add(Encoding.UTF8.GetByteCount(mbox.ToString()));
            mbox.Append($"From s{n}@sender.test Mon Jun  1 10:00:00 2026\n").Append(Sample(n).ReplaceLineEndings("\n")).Append('\n');
        }

        var reports = Mail.AnalyseAll(Encoding.UTF8.GetBytes(mbox.ToString()));

        reports.Select(r => r.Subject).Should().Equal("message 1", "message 2", "message 3");
        reports.Select(r => r.Index).Should().Equal(1, 2, 3);
        reports.Select(r => r.Offset).Should().Equal(offsets);
        reports.Select(r => r.Origin!.FromIp).Should().Equal("198.51.100.1", "198.51.100.2", "198.51.100.3");
        reports.Select(r => r.Urls.Single().Url).Should().Equal("http://link1.test/", "http://link2.test/", "http://link3.test/");
    }

    [Theory]
    [InlineData("", "the file is empty.")]
    [InlineData("\r\n\r\n   \r\n", "only blank space")]
    [InlineData("%PDF-1.7 not mail", "starts with neither a header field")]
    [InlineData("Hello there, no colon here\nat all", "starts with neither a header field")]
    public void Input_that_is_not_mail_is_refused_with_a_reason(string text, string reason)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var opened = MailboxReader.Open(stream);

        opened.Reader.Should().BeNull();
        opened.Error.Should().Contain(reason);
    }

    [Fact]
    public void Deep_multipart_nesting_is_cut_at_the_parser_limit_without_overflow()
    {
        var body = new StringBuilder();
        const int depth = 3000;
        for (var i = 0; i < depth; i++)
        {
            body.Append($"--b{i}\r\nContent-Type: multipart/mixed; boundary=\"b{i + 1}\"\r\n\r\n");
        }

        body.Append("--b3000\r\nContent-Type: text/plain\r\n\r\nhttp://bottom.test/\r\n");
        var raw = Mail.Message("""
            From: a@sender.test
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@sender.test>
            Content-Type: multipart/mixed; boundary="b0"
            """, body.ToString());

        var report = Mail.Analyse(raw);

        report.Urls.Should().BeEmpty("the parts past the nesting limit are opaque");
        report.Attachments.Should().ContainSingle("the part at the limit is kept as one opaque leaf");
    }

    [Fact]
    public void Broken_encodings_and_unknown_charsets_are_decoded_as_far_as_possible()
    {
        var report = Mail.Analyse(Mail.Message("""
            From: =?x-unknown?B?////?= <a@sender.test>
            Subject: =?utf-8?B?SGVsbG8g8J+Ygg?= =?utf-8?Q?broken=ZZ?=
            Date: Mon, 1 Jun 2026 10:00:00 +0000
            Message-ID: <1@sender.test>
            Content-Type: text/plain; charset=klingon-9
            Content-Transfer-Encoding: quoted-printable

            Caf=E9 =ZZ http://ok.test/=
            """, "x\r\n"));

        report.From!.Address.Should().Be("a@sender.test");
        report.Subject.Should().StartWith("Hello");
        report.Urls.Should().ContainSingle(u => u.Host == "ok.test");
    }

    [Fact]
    public void Random_bytes_and_mutated_messages_never_throw_or_hang()
    {
        // Fixed seed: a failure replays exactly.
        var random = new Random(20260601);
        var seed = Encoding.UTF8.GetBytes(Fixtures.Phish);
        var analyser = new EmailAnalyser(Mail.Options(protect: "paypal.com", internalNetworks: "corp.example"));
        var watch = Stopwatch.StartNew();
        var analysed = 0;
        for (var round = 0; round < 400; round++)
        {
            var bytes = round % 4 == 0 ? RandomBytes(random) : Mutate(seed, random);
            using var stream = new MemoryStream(bytes);
            var opened = MailboxReader.Open(stream);
            if (opened.Reader is null)
            {
                opened.Error.Should().NotBeNullOrWhiteSpace();
                continue;
            }

            while (opened.Reader.TryRead(out var message, out var offset))
            {
                var report = analyser.Analyse(message, opened.Reader.Count, offset);
                Mail.Json(report).Should().NotBeEmpty();
                analysed++;
            }
        }

        analysed.Should().BeGreaterThan(200, "most mutations still look like mail");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "no input may make the analyser spin");
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 4096)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed[..random.Next(seed.Length / 4, seed.Length + 1)];
        var flips = random.Next(1, 40);
        for (var i = 0; i < flips && bytes.Length > 0; i++)
        {
            bytes[random.Next(bytes.Length)] = random.Next(4) switch
            {
                0 => (byte)random.Next(256),
                1 => (byte)'\n',
                2 => (byte)'=',
                _ => (byte)'-',
            };
        }

        return bytes;
    }
}
