using Ribat.Core.Common;
using Ribat.Core.Evidence;

namespace Ribat.Core.Capture;

/// <summary>
/// Loads a web page in a browser and records what it showed. The host provides it (headless Chromium); Core only
/// knows the result. Expected failures (unknown host, a page that never finishes loading, no browser) are results.
/// </summary>
public interface IPageCapturer
{
    Task<Result<CapturedPage>> CaptureAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>One response header as the server sent it.</summary>
public sealed record CapturedHeader(string Name, string Value);

/// <summary>A request of the page that the capture refused to make, and why (the address it would have reached).</summary>
public sealed record BlockedRequest(string Target, string Reason);

/// <summary>
/// What a page showed: the URL asked for, every URL it was redirected through and the final one, the final response's
/// status and headers, the full-page screenshot (PNG) and the page's HTML as the browser held it once loaded, and the
/// requests it made that the capture refused (<see cref="CaptureOptions"/>).
/// </summary>
public sealed record CapturedPage(
    Uri RequestedUrl,
    Uri FinalUrl,
    IReadOnlyList<Uri> Redirects,
    int? Status,
    IReadOnlyList<CapturedHeader> Headers,
    byte[] Screenshot,
    string Html,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Browser,
    IReadOnlyList<BlockedRequest> Blocked);

/// <summary>What to capture: an http(s) URL, and how long the page may take to load (1–300 seconds, default 30).</summary>
public sealed record CaptureRequest(string? Url, int? TimeoutSeconds = null);

/// <summary>The three evidence items one capture adds to a case.</summary>
public sealed record CaptureDto(
    string RequestedUrl,
    string FinalUrl,
    int? Status,
    DateTimeOffset CapturedAt,
    EvidenceDto Screenshot,
    EvidenceDto Page,
    EvidenceDto Record);
