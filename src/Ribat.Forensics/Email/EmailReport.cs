using Ribat.Forensics.Files;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Email;

/// <summary>
/// What one message says about itself and what it hides: headers, the route it took, its authentication, its links
/// and attachments, the domains that imitate protected ones, its indicators and a verdict with the reasons for it.
/// </summary>
public sealed record EmailReport
{
    /// <summary>1-based position of the message in its file (always 1 for a single message).</summary>
    public required int Index { get; init; }

    /// <summary>Byte offset of the message (of its mbox 'From ' line) in its file.</summary>
    public required long Offset { get; init; }

    public string? Subject { get; init; }

    public MailboxAddressInfo? From { get; init; }

    public MailboxAddressInfo? Sender { get; init; }

    public IReadOnlyList<MailboxAddressInfo> ReplyTo { get; init; } = [];

    public string? ReturnPath { get; init; }

    public IReadOnlyList<MailboxAddressInfo> To { get; init; } = [];

    public IReadOnlyList<MailboxAddressInfo> Cc { get; init; } = [];

    public DateTimeOffset? Date { get; init; }

    public string? MessageId { get; init; }

    /// <summary>Received hops in the order the message travelled: the sender's side first.</summary>
    public IReadOnlyList<ReceivedHop> Received { get; init; } = [];

    /// <summary>The first hop outside the recipient's infrastructure, seen from the recipient's side.</summary>
    public ReceivedHop? Origin { get; init; }

    public required AuthenticationSummary Authentication { get; init; }

    public IReadOnlyList<HeaderAnomaly> Anomalies { get; init; } = [];

    public IReadOnlyList<MessageUrl> Urls { get; init; } = [];

    public IReadOnlyList<AttachmentReport> Attachments { get; init; } = [];

    public IReadOnlyList<Lookalike> Lookalikes { get; init; } = [];

    /// <summary>Sender addresses, origin address, URLs, their domains and attachment hashes, typed as observables.</summary>
    public IReadOnlyList<Canonical> Indicators { get; init; } = [];

    public required EmailVerdict Verdict { get; init; }
}

/// <summary>A mailbox as written: the display name (decoded) and the address.</summary>
public sealed record MailboxAddressInfo(string? DisplayName, string Address);

/// <summary>
/// One Received header. <see cref="FromIp"/> is canonical (RFC 5952 for IPv6); <see cref="DelaySeconds"/> is the time
/// since the previous hop in travel order, negative when the clocks (or the header) say the hops are out of order.
/// </summary>
public sealed record ReceivedHop(
    int Position,
    string? FromHost,
    string? FromIp,
    string? ByHost,
    string? Protocol,
    DateTimeOffset? Timestamp,
    double? DelaySeconds,
    string Raw);

public enum Severity
{
    Info,
    Suspicious,
    Malicious,
}

/// <summary>Something odd about the message, with a stable <see cref="Kind"/> and one readable line.</summary>
public sealed record HeaderAnomaly(string Kind, Severity Severity, string Message);

/// <summary>
/// A URL found in a text or HTML part, refanged and canonical. <see cref="LinkText"/> is the visible text of an HTML
/// link; <see cref="TextMismatch"/> says that text shows another URL or domain than the one the link leads to.
/// </summary>
public sealed record MessageUrl(
    string Url,
    string Display,
    string? Host,
    string? RegisteredDomain,
    string Source,
    string? LinkText,
    bool TextMismatch,
    string? MismatchDetail);

/// <summary>
/// One attachment or archive member. <see cref="Path"/> names containers with '/' (<c>invoice.zip/run.exe</c>);
/// <see cref="Depth"/> is 0 for a part of the message itself. <see cref="Detected"/> is its type by content.
/// </summary>
public sealed record AttachmentReport(
    string Path,
    string? FileName,
    string DeclaredType,
    FileType Detected,
    long Size,
    string Md5,
    string Sha1,
    string Sha256,
    int Depth)
{
    /// <summary>The media type of <see cref="Detected"/>, as the report shows it.</summary>
    public string DetectedType => Detected.MediaType;
}

/// <summary>
/// A domain that imitates a protected one (or mixes scripts): <see cref="Kind"/> is <c>homoglyph</c>,
/// <c>mixed-script</c>, <c>typo</c>, <c>added-words</c>, <c>subdomain</c> or <c>tld-swap</c>; <see cref="Where"/>
/// names where it was seen (<c>from</c>, <c>reply-to</c>, <c>url</c>, ...).
/// </summary>
public sealed record Lookalike(string Domain, string Display, string? Protected, string Kind, string Detail, string Where);

public enum VerdictLevel
{
    Clean,
    Suspicious,
    Malicious,
}

public sealed record VerdictReason(Severity Severity, string Reason);

public sealed record EmailVerdict(VerdictLevel Level, IReadOnlyList<VerdictReason> Reasons);

/// <summary>
/// The SPF, DKIM, DMARC and ARC results as the receiving servers recorded them, plus Ribat's own verification of
/// each DKIM signature where its public key was given.
/// </summary>
public sealed record AuthenticationSummary(
    string? Spf,
    string? Dkim,
    string? Dmarc,
    string? Arc,
    IReadOnlyList<AuthenticationResultEntry> Results,
    IReadOnlyList<string> ReceivedSpf,
    IReadOnlyList<DkimSignatureCheck> DkimSignatures,
    int ArcSets);

/// <summary>One method result of an Authentication-Results header (<c>dkim=pass header.d=example.com</c>).</summary>
public sealed record AuthenticationResultEntry(string? AuthServId, string Method, string Result, IReadOnlyList<KeyValuePair<string, string>> Properties);

public enum DkimStatus
{
    Pass,
    Fail,
    NoKey,
    Error,
}

/// <summary>A DKIM-Signature header and what verifying it gave; <see cref="Detail"/> says why when it did not pass.</summary>
public sealed record DkimSignatureCheck(string? Domain, string? Selector, string? Algorithm, DkimStatus Status, string Detail);
