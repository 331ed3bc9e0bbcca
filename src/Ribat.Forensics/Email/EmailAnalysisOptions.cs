namespace Ribat.Forensics.Email;

/// <summary>What the analyser compares a message against, and how far it may open what it carries.</summary>
public sealed record EmailAnalysisOptions
{
    public static EmailAnalysisOptions Default { get; } = new();

    /// <summary>Domains whose imitations are looked for (see <see cref="ProtectedDomains.TryParse"/>).</summary>
    public ProtectedDomains Protected { get; init; } = ProtectedDomains.None;

    /// <summary>The recipient's own domains and networks; private and loopback addresses are always internal.</summary>
    public InternalNetworks Internal { get; init; } = InternalNetworks.None;

    /// <summary>DKIM public keys available for verification; there is no DNS look-up.</summary>
    public DkimKeyStore DkimKeys { get; init; } = DkimKeyStore.Empty;

    public EmailLimits Limits { get; init; } = EmailLimits.Default;

    /// <summary>"Now", for dates in the future.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// Bounds on hostile input. Hitting one is reported as a <c>limit-reached</c> anomaly naming the limit; what lies
/// past it is not opened.
/// </summary>
public sealed record EmailLimits
{
    public static EmailLimits Default { get; } = new();

    /// <summary>MIME nesting the parser follows before treating deeper parts as opaque leaves.</summary>
    public int MaxMimeDepth { get; init; } = 32;

    /// <summary>Containers (attached messages, archives) opened inside one another.</summary>
    public int MaxContainerDepth { get; init; } = 4;

    /// <summary>Attachments and archive members listed per message.</summary>
    public int MaxAttachments { get; init; } = 500;

    /// <summary>Bytes expanded from archives and attached messages per message (the zip-bomb guard).</summary>
    public long MaxExpandedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Characters of one text or HTML part scanned for links.</summary>
    public int MaxTextChars { get; init; } = 4 * 1024 * 1024;

    /// <summary>Distinct URLs kept per message.</summary>
    public int MaxUrls { get; init; } = 2000;

    /// <summary>A header value longer than this is reported (and only its start is shown).</summary>
    public int MaxHeaderChars { get; init; } = 64 * 1024;

    /// <summary>Received headers read per message.</summary>
    public int MaxReceived { get; init; } = 100;
}
