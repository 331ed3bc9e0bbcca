using System.Text;
using Ribat.Core.Cases;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Capture;

/// <summary>
/// Captures a web page into a case: checks the case accepts evidence from this actor before the browser starts,
/// loads the page, then acquires three items through <see cref="AcquireEvidence"/> — the full-page screenshot
/// (PNG), the HTML, and the capture record (URLs, redirects, status, headers, times and the digests of the other
/// two) — each with its acquire custody entry and audit row. A page that cannot be captured adds nothing.
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

        var screenshot = await AcquireAsync(actor, caseId, Input(".png", "Full-page screenshot of the captured web page."), page.Screenshot, cancellationToken);
        if (screenshot.Error is { } e1)
        {
            return e1;
        }

        var htmlItem = await AcquireAsync(actor, caseId, Input(".html", "HTML of the captured web page, as the browser held it once loaded."), html, cancellationToken);
        if (htmlItem.Error is { } e2)
        {
            return e2;
        }

        var recordItem = await AcquireAsync(actor, caseId, Input(".json", "Capture record: URLs, redirects, status, response headers, times and the digests of the screenshot and HTML."), record, cancellationToken);
        if (recordItem.Error is { } e3)
        {
            return e3;
        }

        return new CaptureDto(page.RequestedUrl.AbsoluteUri, page.FinalUrl.AbsoluteUri, page.Status, page.StartedAt, screenshot.Value!, htmlItem.Value!, recordItem.Value!);
    }

    private async Task<Result<EvidenceDto>> AcquireAsync(Actor actor, Guid caseId, AcquisitionInput input, byte[] content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content, writable: false);
        return await acquire.HandleAsync(actor, caseId, input, stream, cancellationToken);
    }
}
