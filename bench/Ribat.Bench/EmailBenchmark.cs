using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Ribat.Forensics.Email;

namespace Ribat.Bench;

/// <summary>
/// <c>email</c>: parses and analyses a generated mbox on one thread and reports messages per second of wall time and
/// per CPU-second (the per-core figure). Generating the mbox is outside the timer.
/// </summary>
internal static class EmailBenchmark
{
    public static Command Command()
    {
        var messages = new Option<int>("--messages") { Description = "Messages in the generated mbox.", DefaultValueFactory = _ => 20_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated messages.", DefaultValueFactory = _ => 20_260_601 };
        var rounds = new Option<int>("--rounds") { Description = "Timed passes over the mbox (the best is reported); one untimed pass warms up first.", DefaultValueFactory = _ => 3 };
        var command = new Command("email", "Analyse a generated mbox (text and HTML bodies, links, look-alikes, attachments, zip archives) on one thread.")
        {
            messages, seed, rounds,
        };
        command.SetAction(parsed =>
        {
            var mbox = Generate(parsed.GetValue(messages), parsed.GetValue(seed));
            Console.WriteLine($"mbox: {parsed.GetValue(messages):N0} messages, {mbox.Length / 1048576.0:N1} MiB");
            ProtectedDomains.TryParse(["paypal.com", "example-bank.com", "gov.example"], out var protectedDomains, out _);
            InternalNetworks.TryParse(["corp.example", "192.0.2.0/24"], out var internalNetworks, out _);
            var analyser = new EmailAnalyser(new EmailAnalysisOptions { Protected = protectedDomains, Internal = internalNetworks });
            Run(mbox, analyser, out _);
            var parseOnly = Stopwatch.StartNew();
            var parsedCount = ParseOnly(mbox);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parsing alone (MimeKit): {parsedCount / parseOnly.Elapsed.TotalSeconds:N0} messages/s"));
            var best = double.MaxValue;
            var bestCpu = double.MaxValue;
            for (var round = 0; round < Math.Max(1, parsed.GetValue(rounds)); round++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var (count, verdicts) = Run(mbox, analyser, out var attachments);
                watch.Stop();
                var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
                bestCpu = Math.Min(bestCpu, cpuSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}: {count:N0} messages, {attachments:N0} attachments in {watch.Elapsed.TotalSeconds:N2} s: {count / watch.Elapsed.TotalSeconds:N0} messages/s, {count / cpuSeconds:N0} per CPU-second; verdicts {verdicts}"));
            }

            var total = parsed.GetValue(messages);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: {total / best:N0} messages/s wall, {total / bestCpu:N0} messages per CPU-second (target 2,000 per core)"));
            return 0;
        });
        return command;
    }

    private static (int Count, string Verdicts) Run(byte[] mbox, EmailAnalyser analyser, out int attachments)
    {
        using var stream = new MemoryStream(mbox, writable: false);
        var reader = MailboxReader.Open(stream).Reader ?? throw new InvalidOperationException("the generated mbox is not recognised");
        int clean = 0, suspicious = 0, malicious = 0;
        attachments = 0;
        while (reader.TryRead(out var message, out var offset))
        {
            var report = analyser.Analyse(message, reader.Count, offset);
            attachments += report.Attachments.Count;
            switch (report.Verdict.Level)
            {
                case VerdictLevel.Clean:
                    clean++;
                    break;
                case VerdictLevel.Suspicious:
                    suspicious++;
                    break;
                default:
                    malicious++;
                    break;
            }
        }

        return (reader.Count, $"clean {clean:N0}, suspicious {suspicious:N0}, malicious {malicious:N0}");
    }

    private static int ParseOnly(byte[] mbox)
    {
        using var stream = new MemoryStream(mbox, writable: false);
        var reader = MailboxReader.Open(stream).Reader!;
        while (reader.TryRead(out _, out _))
        {
        }

        return reader.Count;
    }

    private static readonly string[] SenderDomains = ["sender.test", "news.example.org", "paypa1.com", "xn--pypal-4ve.com", "example-bank.com", "mail.shop.test", "example-bank-secure.com"];
    private static readonly string[] LinkHosts = ["www.example.org", "paypal-login.test", "cdn.shop.test", "203.0.113.7", "portal.example-bank.com", "xn--exmple-bank-hbb.com"];

    private static byte[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var zip = Zip(random);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var domain = SenderDomains[random.Next(SenderDomains.Length)];
            var host = LinkHosts[random.Next(LinkHosts.Length)];
            var boundary = $"b{i}";
            text.Append(CultureInfo.InvariantCulture, $"From sender@{domain} Mon Jun  1 10:00:00 2026\n");
            text.Append(CultureInfo.InvariantCulture, $"Received: from mx.corp.example ([192.0.2.10]) by store.corp.example with LMTP; Mon, 1 Jun 2026 10:{i % 60:00}:09 +0000\n");
            text.Append(CultureInfo.InvariantCulture, $"Received: from out.{domain} (out.{domain} [198.51.{i % 250}.{i % 200 + 1}]) by mx.corp.example with ESMTPS id {i}; Mon, 1 Jun 2026 10:{i % 60:00}:05 +0000\n");
            text.Append(CultureInfo.InvariantCulture, $"Authentication-Results: mx.corp.example; spf={(i % 5 == 0 ? "fail" : "pass")} smtp.mailfrom={domain}; dkim=pass header.d={domain}; dmarc={(i % 7 == 0 ? "fail" : "pass")} header.from={domain}\n");
            text.Append(CultureInfo.InvariantCulture, $"DKIM-Signature: v=1; a=rsa-sha256; d={domain}; s=s1; h=from:subject:date; bh=AAAA; b=BBBB\n");
            text.Append(CultureInfo.InvariantCulture, $"From: \"{(i % 4 == 0 ? "PayPal Service" : "Sender " + i)}\" <sender{i}@{domain}>\n");
            if (i % 3 == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"Reply-To: reply@{SenderDomains[(i + 1) % SenderDomains.Length]}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"To: user{i % 100}@corp.example\nSubject: =?utf-8?Q?Message_{i}_=E2=80=93_update?=\nDate: Mon, 1 Jun 2026 10:{i % 60:00}:00 +0000\n");
            text.Append(CultureInfo.InvariantCulture, $"Message-ID: <{i}.{random.Next()}@{domain}>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\n\n");
            text.Append(CultureInfo.InvariantCulture, $"--{boundary}\nContent-Type: multipart/alternative; boundary=\"{boundary}a\"\n\n--{boundary}a\nContent-Type: text/plain; charset=utf-8\n\n");
            text.Append(CultureInfo.InvariantCulture, $"Dear customer,\nplease review https://{host}/account/{i}?ref=mail and hxxps://files[.]shop[.]test/doc{i}.\nRegards\n");
            text.Append(CultureInfo.InvariantCulture, $"--{boundary}a\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>Dear customer,</p><p>please review <a href=\"https://{host}/account/{i}?ref=mail\">{(i % 5 == 0 ? "https://www.paypal.com/account" : "your account")}</a>");
            text.Append(CultureInfo.InvariantCulture, $" and <a href='https://files.shop.test/doc{i}'>your document</a>.</p><img src=\"https://cdn.shop.test/p.gif\"></body></html>\n--{boundary}a--\n");
            if (i % 3 == 0)
            {
                var size = random.Next(2_000, 20_000);
                var bytes = new byte[size];
                random.NextBytes(bytes);
                "%PDF-1.7\n"u8.CopyTo(bytes);
                Attachment(text, boundary, $"invoice{i}.pdf", "application/pdf", bytes);
            }

            if (i % 10 == 0)
            {
                Attachment(text, boundary, $"statement{i}.zip", "application/zip", zip);
            }

            text.Append(CultureInfo.InvariantCulture, $"--{boundary}--\n\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Attachment(StringBuilder text, string boundary, string name, string type, byte[] bytes)
    {
        text.Append(CultureInfo.InvariantCulture, $"--{boundary}\nContent-Type: {type}; name=\"{name}\"\nContent-Disposition: attachment; filename=\"{name}\"\nContent-Transfer-Encoding: base64\n\n");
        text.Append(Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks).ReplaceLineEndings("\n")).Append('\n');
    }

    private static byte[] Zip(Random random)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var document = new byte[8_000];
            random.NextBytes(document);
            using (var entry = zip.CreateEntry("statement.pdf").Open())
            {
                entry.Write("%PDF-1.7\n"u8);
                entry.Write(document);
            }

            using var exe = zip.CreateEntry("statement.pdf.exe").Open();
            exe.Write("MZ"u8);
            exe.Write(new byte[4_000]);
        }

        return buffer.ToArray();
    }
}
