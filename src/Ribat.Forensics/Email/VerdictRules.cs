using Ribat.Forensics.Files;

namespace Ribat.Forensics.Email;

/// <summary>
/// The verdict is the gravest reason found: <c>malicious</c> when something only an attacker does is present (an
/// executable or script attachment, a look-alike of a protected domain, a protected domain failing DMARC, a link
/// showing a protected domain and leading elsewhere), <c>suspicious</c> for signs that also occur in careless
/// legitimate mail, <c>clean</c> otherwise. Reasons are listed gravest first.
/// </summary>
internal static class VerdictRules
{
    private static readonly HashSet<string> RunnableExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".exe", ".scr", ".com", ".pif", ".bat", ".cmd", ".js", ".jse", ".vbs", ".vbe", ".wsf", ".wsh", ".hta", ".ps1",
        ".lnk", ".msi", ".jar", ".dll", ".cpl", ".reg", ".chm", ".appx", ".msix", ".xll", ".url",
    };

    private static readonly HashSet<string> DiskImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".iso", ".img", ".vhd", ".vhdx" };

    private static readonly HashSet<string> DocumentExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".jpg", ".jpeg", ".png", ".gif", ".rtf",
    };

    public static EmailVerdict Decide(EmailReport report, ProtectedDomains protectedDomains)
    {
        var reasons = new List<VerdictReason>();
        foreach (var anomaly in report.Anomalies)
        {
            if (anomaly.Severity > Severity.Info)
            {
                reasons.Add(new VerdictReason(anomaly.Severity, anomaly.Message));
            }
        }

        foreach (var lookalike in report.Lookalikes)
        {
            reasons.Add(lookalike.Protected is null
                ? new VerdictReason(Severity.Suspicious, $"the {lookalike.Where} domain {lookalike.Display} mixes scripts.")
                : new VerdictReason(Severity.Malicious, $"the {lookalike.Where} domain {lookalike.Display} imitates {lookalike.Protected} ({lookalike.Kind}): {lookalike.Detail}"));
        }

        Authentication(report, protectedDomains, reasons);
        Links(report, protectedDomains, reasons);
        foreach (var attachment in report.Attachments)
        {
            Attachment(attachment, reasons);
        }

        reasons.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        var level = reasons.Count == 0 ? VerdictLevel.Clean : reasons[0].Severity == Severity.Malicious ? VerdictLevel.Malicious : VerdictLevel.Suspicious;
        return new EmailVerdict(level, reasons);
    }

    private static void Authentication(EmailReport report, ProtectedDomains protectedDomains, List<VerdictReason> reasons)
    {
        var auth = report.Authentication;
        var fromDomain = HeaderChecks.Registered(report.From?.Address);
        if (auth.Dmarc is "fail")
        {
            reasons.Add(IsProtected(fromDomain, protectedDomains)
                ? new VerdictReason(Severity.Malicious, $"DMARC fails for the protected domain {fromDomain}: the From address is forged.")
                : new VerdictReason(Severity.Suspicious, "DMARC fails for the From domain."));
        }

        if (auth.Spf is "fail")
        {
            reasons.Add(new VerdictReason(Severity.Suspicious, "SPF fails: the sending server is not allowed to send for the envelope domain."));
        }

        if (auth.Dkim is "fail")
        {
            reasons.Add(new VerdictReason(Severity.Suspicious, "the receiving server recorded a failing DKIM signature."));
        }

        foreach (var signature in auth.DkimSignatures)
        {
            if (signature.Status == DkimStatus.Fail)
            {
                reasons.Add(new VerdictReason(Severity.Suspicious, $"the DKIM signature of {signature.Domain} (selector {signature.Selector}) does not verify with its key."));
            }
        }
    }

    private static void Links(EmailReport report, ProtectedDomains protectedDomains, List<VerdictReason> reasons)
    {
        foreach (var url in report.Urls)
        {
            if (url.TextMismatch)
            {
                var shown = ShowsProtected(url.LinkText, protectedDomains);
                reasons.Add(new VerdictReason(shown is null ? Severity.Suspicious : Severity.Malicious, $"the link to {url.Url}: {url.MismatchDetail}"));
            }

            if (url.Host is not null && url.RegisteredDomain is null && (url.Host.Contains(':') || char.IsAsciiDigit(url.Host[^1])))
            {
                reasons.Add(new VerdictReason(Severity.Suspicious, $"the link {url.Url} points at a bare IP address."));
            }
        }
    }

    private static void Attachment(AttachmentReport attachment, List<VerdictReason> reasons)
    {
        var name = attachment.FileName ?? string.Empty;
        var extension = Path.GetExtension(name);
        if (attachment.Detected.IsExecutable)
        {
            var what = attachment.Detected.Kind switch { FileKind.Script => "a script", FileKind.Shortcut => "a shortcut", _ => "an executable" };
            reasons.Add(new VerdictReason(Severity.Malicious, $"the attachment {attachment.Path} is {what} ({attachment.DetectedType})."));
        }
        else if (RunnableExtensions.Contains(extension))
        {
            reasons.Add(new VerdictReason(Severity.Malicious, $"the attachment {attachment.Path} runs when opened ({extension})."));
        }
        else if (DiskImageExtensions.Contains(extension) || attachment.Detected.Kind == FileKind.DiskImage)
        {
            reasons.Add(new VerdictReason(Severity.Suspicious, $"the attachment {attachment.Path} is a disk image, a way around mark-of-the-web."));
        }

        var inner = Path.GetExtension(Path.GetFileNameWithoutExtension(name));
        if (DocumentExtensions.Contains(inner) && extension.Length > 0 && !DocumentExtensions.Contains(extension))
        {
            reasons.Add(new VerdictReason(Severity.Malicious, $"the attachment name {name} hides its real extension {extension} behind {inner}."));
        }
        else if (extension is ".pdf" or ".PDF" && attachment.DetectedType != "application/pdf" && attachment.Size > 0)
        {
            reasons.Add(new VerdictReason(Severity.Suspicious, $"the attachment {attachment.Path} is named .pdf but its content is {attachment.DetectedType}."));
        }
    }

    private static string? ShowsProtected(string? text, ProtectedDomains protectedDomains)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var entry in protectedDomains.Entries)
        {
            if (text.Contains(entry.Registered, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Registered;
            }
        }

        return null;
    }

    private static bool IsProtected(string? domain, ProtectedDomains protectedDomains)
    {
        foreach (var entry in protectedDomains.Entries)
        {
            if (entry.Registered == domain)
            {
                return true;
            }
        }

        return false;
    }
}
