using System.Text;
using System.Text.Json;
using Ribat.Forensics.Email;

namespace Ribat.Forensics.Tests.Email;

/// <summary>Builds small messages in the tests and runs them through the reader and the analyser.</summary>
internal static class Mail
{
    /// <summary>The clock every test analyses at, so "future" dates stay in the future.</summary>
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static EmailAnalysisOptions Options(string? protect = null, string? internalNetworks = null, DkimKeyStore? keys = null, EmailLimits? limits = null)
    {
        ProtectedDomains.TryParse((protect ?? string.Empty).Split(','), out var protectedDomains, out var reason).Should().BeTrue(reason);
        InternalNetworks.TryParse((internalNetworks ?? string.Empty).Split(','), out var networks, out reason).Should().BeTrue(reason);
        return new EmailAnalysisOptions
        {
            Protected = protectedDomains,
            Internal = networks,
            DkimKeys = keys ?? DkimKeyStore.Empty,
            Limits = limits ?? EmailLimits.Default,
            Clock = new FixedClock(Now),
        };
    }

    /// <summary>Header lines joined with CRLF, a blank line, then the body.</summary>
    public static string Message(string headers, string body = "Hello.\r\n") =>
        headers.ReplaceLineEndings("\r\n").TrimEnd() + "\r\n\r\n" + body.ReplaceLineEndings("\r\n");

    public static EmailReport Analyse(string raw, EmailAnalysisOptions? options = null) =>
        AnalyseAll(Encoding.UTF8.GetBytes(raw), options).Should().ContainSingle().Subject;

    public static List<EmailReport> AnalyseAll(byte[] bytes, EmailAnalysisOptions? options = null)
    {
        options ??= Options();
        using var stream = new MemoryStream(bytes);
        var opened = MailboxReader.Open(stream, options.Limits);
        opened.Reader.Should().NotBeNull(opened.Error);
        var analyser = new EmailAnalyser(options);
        var reports = new List<EmailReport>();
        while (opened.Reader!.TryRead(out var message, out var offset))
        {
            reports.Add(analyser.Analyse(message, opened.Reader.Count, offset));
        }

        opened.Reader.Error.Should().BeNull();
        return reports;
    }

    public static string Json(EmailReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            EmailReportJson.Write(json, report);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
