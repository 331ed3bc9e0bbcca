using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MimeKit;
using MimeKit.Cryptography;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary><c>ribat analyze email</c> as a subprocess on messages written here; it needs no data directory.</summary>
public sealed class CliEmailTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ribat-email-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static string Message(int n, string from, string extraHeaders = "", string body = "Hello.") =>
        $"Received: from out{n}.sender.test (out{n}.sender.test [198.51.100.{n}]) by mx.corp.example with ESMTPS; Mon, 1 Jun 2026 10:00:0{n} +0000\n" +
        extraHeaders +
        $"From: {from}\nTo: bob@corp.example\nSubject: message {n}\nDate: Mon, 1 Jun 2026 10:00:00 +0000\nMessage-ID: <{n}@sender.test>\n\n{body}\n";

    private string Write(string name, string text)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\r\n"));
        return path;
    }

    [Fact]
    public async Task Json_lines_give_one_object_per_mbox_message_with_every_field()
    {
        var mbox = Write("inbox", string.Concat(
            "From a@x Mon Jun  1 10:00:00 2026\n", Message(1, "Alice <alice@sender.test>"), "\n",
            "From b@x Mon Jun  1 10:00:00 2026\n", Message(2, "\"PayPal\" <service@paypa1.com>", body: "Go to hxxps://paypal-login[.]com/x"), "\n"));

        var result = await RibatProcess.RunAsync("analyze", "email", mbox, "--format", "json", "--protect", "paypal.com", "--internal", "corp.example");

        result.ExitCode.Should().Be(1, "the second message is a finding: a look-alike of a protected domain; " + result);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        var first = JsonNode.Parse(lines[0])!;
        foreach (var field in new[] { "subject", "from", "received", "origin_ip", "authentication", "anomalies", "urls", "attachments", "lookalikes", "indicators", "verdict" })
        {
            first.AsObject().ContainsKey(field).Should().BeTrue(field);
        }

        first["subject"]!.GetValue<string>().Should().Be("message 1");
        first["origin_ip"]!.GetValue<string>().Should().Be("198.51.100.1");
        var hop = first["received"]!.AsArray().Single()!;
        hop["from_ip"]!.GetValue<string>().Should().Be("198.51.100.1");
        hop["by_host"]!.GetValue<string>().Should().Be("mx.corp.example");
        hop["timestamp"]!.GetValue<string>().Should().Be("2026-06-01T10:00:01Z");
        first["verdict"]!["level"]!.GetValue<string>().Should().Be("clean");

        var second = JsonNode.Parse(lines[1])!;
        second["index"]!.GetValue<int>().Should().Be(2);
        second["urls"]![0]!["url"]!.GetValue<string>().Should().Be("https://paypal-login.com/x");
        second["lookalikes"]!.AsArray().Select(l => l!["kind"]!.GetValue<string>()).Should().Equal("homoglyph", "added-words");
        second["verdict"]!["level"]!.GetValue<string>().Should().Be("malicious");
        second["verdict"]!["reasons"]!.AsArray().Should().NotBeEmpty();
    }

    [Fact]
    public async Task The_table_shows_the_verdict_route_and_reasons()
    {
        var eml = Write("one.eml", Message(3, "\"PayPal\" <service@paypa1.com>"));

        var result = await RibatProcess.RunAsync("analyze", "email", eml, "--protect", "paypal.com");

        result.ExitCode.Should().Be(1, "a malicious verdict is a finding; " + result);
        result.Stdout.Should().Contain("MALICIOUS").And.Contain("Route (travel order)").And.Contain("198.51.100.3")
            .And.Contain("Look-alike domains").And.Contain("paypa1.com").And.Contain("Verdict reasons");
    }

    [Fact]
    public async Task A_dkim_key_file_verifies_the_signature()
    {
        using var rsa = RSA.Create(2048);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice", "alice@sender.test"));
        message.Subject = "signed";
        message.Date = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
        message.MessageId = "s1@sender.test";
        message.Body = new TextPart("plain") { Text = "Signed body." };
        using (var pem = new MemoryStream(Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem())))
        {
            var signer = new DkimSigner(pem, "sender.test", "sel") { HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed };
            message.Prepare(EncodingConstraint.SevenBit);
            signer.Sign(message, [HeaderId.From, HeaderId.Subject, HeaderId.Date]);
        }

        var eml = Path.Combine(_scratch, "signed.eml");
        await using (var file = File.Create(eml))
        {
            await message.WriteToAsync(file);
        }

        var key = Write("sel.pem", rsa.ExportSubjectPublicKeyInfoPem());
        var result = await RibatProcess.RunAsync("analyze", "email", eml, "--format", "json", "--dkim-key", $"sel._domainkey.sender.test={key}");

        result.ExitCode.Should().Be(0, result.ToString());
        JsonNode.Parse(result.Stdout)!["authentication"]!["dkim_signatures"]![0]!["verification"]!.GetValue<string>().Should().Be("pass");

        var folder = Directory.CreateDirectory(Path.Combine(_scratch, "keys")).FullName;
        File.Copy(key, Path.Combine(folder, "sel._domainkey.sender.test.pem"));
        var byFolder = await RibatProcess.RunAsync("analyze", "email", eml, "--format", "json", "--dkim-keys", folder);
        JsonNode.Parse(byFolder.Stdout)!["authentication"]!["dkim_signatures"]![0]!["verification"]!.GetValue<string>().Should().Be("pass");
    }

    [Fact]
    public async Task Bad_input_stops_with_one_line_and_exit_code_2()
    {
        var good = Write("good.eml", Message(1, "alice@sender.test"));
        var empty = Write("empty.eml", string.Empty);
        var random = Path.Combine(_scratch, "random.bin");
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(random, bytes);

        var withEmpty = await RibatProcess.RunAsync("analyze", "email", good, empty);
        CliAdminTests.ShouldFailWithOneLine(withEmpty, 2, "empty.eml", "empty");
        withEmpty.Stdout.Should().BeEmpty("nothing is analysed when one file is bad");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "email", random), 2, "random.bin", "not an e-mail message or mbox");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "email", Path.Combine(_scratch, "missing.eml")), 2, "missing.eml", "does not exist");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "email", _scratch), 2, "is a directory");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "email", good, "--format", "xml"), 2, "--format");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "email", good, "--protect", "co.uk"), 2, "--protect", "public suffix");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "email", good, "--internal", "10.0.0.0/99"), 2, "--internal", "10.0.0.0/99");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "email", good, "--dkim-key", "nonsense"), 2, "--dkim-key");
        var badKey = Write("bad.txt", "v=DKIM1; k=rsa; p=@@@");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "email", good, "--dkim-key", $"s._domainkey.x.test={badKey}"), 2, "s._domainkey.x.test");
    }
}
