using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Stix.Model;
using Ribat.Stix.Taxii;

namespace Ribat.Core.Federation;

/// <summary>Where a stored STIX object version came from.</summary>
public enum StixOrigin
{
    /// <summary>Written by this node from one of its own objects (an indicator, a report, a sighting).</summary>
    Local = 0,

    /// <summary>Imported from a bundle a user uploaded, or posted to a TAXII collection.</summary>
    Imported = 1,

    /// <summary>Received from a federated partner node.</summary>
    Partner = 2,
}

/// <summary>
/// One version of one STIX object, kept as the JSON it was written or received in, with the sharing terms that
/// decide who sees it. The versions of an object share <see cref="StixId"/>; each row is one <see cref="Version"/>.
/// </summary>
public sealed class StixObjectRecord : ISharedObject
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

    /// <summary><c>type--uuid</c>.</summary>
    public required string StixId { get; set; }

    public required string Type { get; set; }

    /// <summary>The object's <c>spec_version</c> ("2.1" when it names none and is an SCO).</summary>
    public required string SpecVersion { get; set; }

    /// <summary>
    /// The version as TAXII names it: <c>modified</c>, else <c>created</c>, else (an SCO) the time it was added; spelled
    /// as the object spells it.
    /// </summary>
    public required string Version { get; set; }

    /// <summary><see cref="Version"/> as an instant (to the microsecond), for ordering and matching.</summary>
    public DateTimeOffset VersionAt { get; set; }

    /// <summary>When this node added the version: microseconds, strictly increasing across the node, so paging by it is exact.</summary>
    public DateTimeOffset DateAdded { get; set; }

    public StixOrigin Origin { get; set; }

    /// <summary>The partner node it came from, for <see cref="StixOrigin.Partner"/>.</summary>
    public Guid? PartnerId { get; set; }

    /// <summary>The Ribat object (indicator, report, sighting) this version describes or became, if any.</summary>
    public Guid? RibatObjectId { get; set; }

    /// <summary>
    /// The object's JSON, exactly as written or received; empty for a version of a local indicator rendered when read
    /// (<see cref="RenderedVersions"/>), which every reader fills first.
    /// </summary>
    public required string Json { get; set; }

    public Guid? CreatedBy { get; set; }
}

/// <summary>A TAXII status resource, kept so the poster can read it again at <c>status/{id}/</c>.</summary>
public sealed class TaxiiStatusRecord
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>The status resource as TAXII JSON.</summary>
    public required string Json { get; set; }

    /// <summary>
    /// The completed status of a post of <paramref name="total"/> objects, and the row that keeps it for the
    /// organisation that posted (TAXII lists successes and failures only when there are any).
    /// </summary>
    public static (TaxiiStatus Status, TaxiiStatusRecord Row) Completed(
        Guid organisationId, DateTimeOffset requestedAt, int total, List<TaxiiStatusDetails> successes, List<TaxiiStatusDetails> failures)
    {
        var status = new TaxiiStatus(
            Guid.CreateVersion7().ToString("D"),
            TaxiiStatus.Complete,
            total,
            successes.Count,
            failures.Count,
            0,
            StixTimestamp.FromDateTime(requestedAt.UtcDateTime, 6),
            successes.Count > 0 ? successes : null,
            failures.Count > 0 ? failures : null);
        var row = new TaxiiStatusRecord
        {
            Id = Guid.Parse(status.Id),
            OrganisationId = organisationId,
            RequestedAt = requestedAt,
            Json = System.Text.Encoding.UTF8.GetString(TaxiiJson.Write(status)),
        };
        return (status, row);
    }
}
