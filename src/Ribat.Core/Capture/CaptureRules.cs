using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ribat.Core.Common;

namespace Ribat.Core.Capture;

internal static class CaptureRules
{
    public const int DefaultTimeoutSeconds = 30;
    public const int MaxTimeoutSeconds = 300;
    public const int MaxUrlLength = 2048;

    public static Validation Validate(CaptureRequest request, out Uri? url, out TimeSpan timeout)
    {
        var v = new Validation();
        url = null;
        timeout = TimeSpan.FromSeconds(request.TimeoutSeconds ?? DefaultTimeoutSeconds);
        var text = request.Url?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            v.Add("url", "Name the page to capture (an http or https URL).");
        }
        else if (text.Length > MaxUrlLength)
        {
            v.Add("url", $"The URL is at most {MaxUrlLength} characters.");
        }
        else if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            v.Add("url", $"'{Excerpt(text)}' is not an http or https URL; only web pages are captured.");
        }
        else if (string.IsNullOrEmpty(parsed.Host))
        {
            v.Add("url", "The URL has no host.");
        }
        else
        {
            url = parsed;
        }

        if (request.TimeoutSeconds is { } seconds && seconds is < 1 or > MaxTimeoutSeconds)
        {
            v.Add("timeoutSeconds", $"The timeout is 1 to {MaxTimeoutSeconds} seconds.");
        }

        return v;
    }

    /// <summary><c>capture-example.org-20260301T101500Z</c>: the host (letters, digits, '.', '-') and the UTC start time.</summary>
    public static string BaseName(CapturedPage page)
    {
        var host = new StringBuilder();
        foreach (var c in page.FinalUrl.IdnHost.ToLowerInvariant())
        {
            host.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_');
            if (host.Length == 100)
            {
                break;
            }
        }

        return $"capture-{host}-{page.StartedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The capture record: URLs, redirects, status, headers, times, browser, and the size and digests of the
    /// screenshot and the HTML, so the three items prove each other; and what the page asked for that was not loaded.
    /// </summary>
    public static byte[] Record(CapturedPage page, string baseName, byte[] html)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("requested_url", page.RequestedUrl.AbsoluteUri);
            json.WriteString("final_url", page.FinalUrl.AbsoluteUri);
            json.WriteStartArray("redirects");
            foreach (var hop in page.Redirects)
            {
                json.WriteStringValue(hop.AbsoluteUri);
            }

            json.WriteEndArray();
            if (page.Status is { } status)
            {
                json.WriteNumber("status", status);
            }
            else
            {
                json.WriteNull("status");
            }

            json.WriteStartArray("headers");
            foreach (var header in page.Headers)
            {
                json.WriteStartObject();
                json.WriteString("name", header.Name);
                json.WriteString("value", header.Value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("started_at", page.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("finished_at", page.FinishedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("browser", page.Browser);
            json.WriteStartArray("blocked");
            foreach (var blocked in page.Blocked)
            {
                json.WriteStartObject();
                json.WriteString("target", blocked.Target);
                json.WriteString("reason", blocked.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("files");
            WriteFile(json, baseName + ".png", "screenshot", "image/png", page.Screenshot);
            WriteFile(json, baseName + ".html", "html", "text/html; charset=utf-8", html);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteFile(Utf8JsonWriter json, string name, string role, string mediaType, byte[] content)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("role", role);
        json.WriteString("media_type", mediaType);
        json.WriteNumber("size", content.Length);
        json.WriteString("md5", Convert.ToHexStringLower(MD5.HashData(content)));
        json.WriteString("sha1", Convert.ToHexStringLower(SHA1.HashData(content)));
        json.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));
        json.WriteEndObject();
    }

    public static string Excerpt(string text, int max = 120) => text.Length <= max ? text : text[..(max - 3)] + "...";
}
