using System.Text;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Capture;

/// <summary>
/// Captures a web page into a case: checks the case accepts evidence from this actor before the browser starts,
/// loads the page, then acquires three items through <see cref="AcquireEvidence"/> in one transaction — the
/// full-page screenshot (PNG), the HTML, and the capture record (URLs, redirects, status, headers, times and the
/// digests of the other two) — each with its acquire custody entry and audit row. A page that cannot be captured,
/// or a capture that cannot be stored whole, adds nothing.
/// </summary>
public sealed class CaptureWebPage(ReadCases cases, AcquireEvidence acquire, IPageCapturer capturer)
{
    public async Task<Result<CaptureDto>> HandleAsync(Actor actor, Guid caseId, CaptureRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var v = CaptureRules.Validate(request, out var url, out var timeout);
        if (!v.IsValid)
        {
            return v.ToError();
        }

        var owning = await cases.GetAsync(actor, caseId, cancellationToken);
        if (owning.Error is { } unknown)
        {
            return unknown;
        }

        if (owning.Value!.OwnerOrganisationId != actor.OrganisationId || actor.UserId is null)
        {
            return Error.Forbidden("Only the organisation that owns a case acquires evidence into it.");
        }

        if (CustodyLog.RefuseWrite(actor) is { } refused)
        {
            return refused;
        }

        if (owning.Value.Status == CaseStatus.Closed.Spell())
        {
            return Error.Conflict("The case is closed; reopen it before acquiring evidence.");
        }

        var captured = await capturer.CaptureAsync(url!, timeout, cancellationToken);
        if (captured.Error is { } failed)
        {
            return failed;
        }

        var page = captured.Value!;
        var baseName = CaptureRules.BaseName(page);
        var html = Encoding.UTF8.GetBytes(page.Html);
        var record = CaptureRules.Record(page, baseName, html);
        var where = CaptureRules.Excerpt(page.FinalUrl.AbsoluteUri, EvidenceRules.MaxText);
        var notes = $"Requested {CaptureRules.Excerpt(page.RequestedUrl.AbsoluteUri, 1500)}; final {CaptureRules.Excerpt(page.FinalUrl.AbsoluteUri, 1500)}"
            + $" (HTTP {page.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "status unknown"}, {page.Redirects.Count} redirect(s)). The capture record {baseName}.json holds every URL, header and digest.";
        AcquisitionInput Input(string extension, string what) => new(
            FileName: baseName + extension,
            Description: what,
            AcquiredAt: page.StartedAt,
            AcquiredWhere: where,
            Method: "web capture in headless Chromium",
            Tool: "ribat capture",
            ToolVersion: typeof(CaptureWebPage).Assembly.GetName().Version?.ToString(),
            SourceDevice: CaptureRules.Excerpt(page.Browser, EvidenceRules.MaxText),
            Notes: notes);

        using var png = new MemoryStream(page.Screenshot, writable: false);
        using var markup = new MemoryStream(html, writable: false);
        using var capture = new MemoryStream(record, writable: false);
        var acquired = await acquire.HandleManyAsync(actor, caseId,
        [
            (Input(".png", "Full-page screenshot of the captured web page."), png),
            (Input(".html", "HTML of the captured web page, as the browser held it once loaded."), markup),
            (Input(".json", "Capture record: URLs, redirects, status, response headers, times and the digests of the screenshot and HTML."), capture),
        ], cancellationToken);
        if (acquired.Error is { } failedToAcquire)
        {
            return failedToAcquire;
        }

        var items = acquired.Value!;
        return new CaptureDto(page.RequestedUrl.AbsoluteUri, page.FinalUrl.AbsoluteUri, page.Status, page.StartedAt, items[0], items[1], items[2]);
    }
}
