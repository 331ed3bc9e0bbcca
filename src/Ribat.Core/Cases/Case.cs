using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Cases;

/// <summary>
/// A cybercrime investigation owned by one organisation. Its partner organisations are the named recipients of
/// its sharing terms, so who sees a case is decided by the one sharing policy like any other shared object.
/// </summary>
public sealed class Case : ISharedObject
{
    public Guid Id { get; set; }

    public Guid OwnerOrganisationId { get; set; }

    public Guid? OwnerNode { get; set; }

    public Tlp Tlp { get; set; }

    public Pap Pap { get; set; }

    public DistributionKind Distribution { get; set; }

    public Guid? SharingGroupId { get; set; }

    public HandlingCodes Handling { get; set; }

    public string? HandlingConditions { get; set; }

    public string? Evaluation { get; set; }

    public required string Title { get; set; }

    public string? Summary { get; set; }

    /// <summary>Budapest Convention offence categories by their stable spelling (<see cref="OffenceCategories"/>).</summary>
    public List<string> Offences { get; set; } = [];

    /// <summary>Categories of national law, as the organisation names them.</summary>
    public List<string> NationalCategories { get; set; } = [];

    public CaseStatus Status { get; set; }

    /// <summary>Why the case last changed status (suspended, closed, reopened).</summary>
    public string? StatusReason { get; set; }

    public DateTimeOffset StatusChangedAt { get; set; }

    public Guid LeadInvestigatorId { get; set; }

    public List<CaseMember> Team { get; set; } = [];

    public Guid? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One user of the owning organisation on a case's team.</summary>
public sealed class CaseMember
{
    public Guid CaseId { get; set; }

    public Guid UserId { get; set; }
}

/// <summary>The offences of the Budapest Convention on Cybercrime, Articles 2 to 10, by stable spelling.</summary>
public static class OffenceCategories
{
    public static readonly IReadOnlyList<(string Name, int Article)> All =
    [
        ("illegal-access", 2),
        ("illegal-interception", 3),
        ("data-interference", 4),
        ("system-interference", 5),
        ("misuse-of-devices", 6),
        ("computer-related-forgery", 7),
        ("computer-related-fraud", 8),
        ("content-related", 9),
        ("copyright-related", 10),
    ];

    public static bool TryParse(string? text, out string name)
    {
        var wanted = text?.Trim().ToLowerInvariant().Replace(' ', '-') ?? string.Empty;
        name = All.FirstOrDefault(o => o.Name == wanted).Name ?? string.Empty;
        return name.Length > 0;
    }

    public static string Choices => string.Join(", ", All.Select(o => o.Name));
}
