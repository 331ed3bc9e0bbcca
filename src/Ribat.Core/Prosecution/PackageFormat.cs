using System.Text.Json;
using System.Text.Json.Serialization;
using Ribat.Core.Evidence;

namespace Ribat.Core.Prosecution;

/// <summary>
/// The layout of a prosecution package (ADR 0010): evidence files, per-item acquisition records and custody logs,
/// the case summary and its CASE/UCO description, all listed with their hashes in <see cref="ManifestPath"/>, which
/// the node key signs (<see cref="SignaturePath"/>). The writer and the offline verifier share these types.
/// </summary>
public static class PackageFormat
{
    public const string Version = "ribat-prosecution-package/1";
    public const string ManifestPath = "manifest.json";
    public const string SignaturePath = "signature.json";
    public const string CasePath = "case.json";
    public const string CaseUcoPath = "case-uco.jsonld";
    public const string TimelinePath = "timeline.json";
    public const string FindingsPath = "findings.json";
    public const string SignatureAlgorithm = "ECDSA-P256-SHA256";
    public const string SignatureEncoding = "DER";

    public const string EvidenceRole = "evidence";
    public const string AcquisitionRole = "acquisition";
    public const string CustodyRole = "custody";
    public const string CaseRole = "case";
    public const string CaseUcoRole = "case-uco";
    public const string TimelineRole = "timeline";
    public const string FindingsRole = "findings";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string EvidencePath(Guid item, string fileName) => $"evidence/{item:D}/{SafeName(fileName)}";

    public static string AcquisitionPath(Guid item) => $"acquisition/{item:D}.json";

    public static string CustodyPath(Guid item) => $"custody/{item:D}.json";

    /// <summary>A member name any unzip tool writes inside its target directory on any system.</summary>
    internal static string SafeName(string fileName)
    {
        var chars = fileName.Trim().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '.' or '-' or '_'))
            {
                chars[i] = '_';
            }
        }

        var name = new string(chars).TrimStart('.');
        name = name.Length > 120 ? name[..120] : name;
        return name.Length == 0 ? "file" : name;
    }
}

/// <summary>What the node signs: every other file of the package with its size and digests.</summary>
public sealed record PackageManifest(
    string Format,
    Guid PackageId,
    DateTimeOffset CreatedAt,
    Guid Node,
    string NodeFingerprint,
    Guid CaseId,
    string CaseTitle,
    string ExportedBy,
    IReadOnlyList<PackageFile> Files);

/// <summary>One file of the package. <see cref="ItemId"/> names the evidence item it belongs to, if any.</summary>
public sealed record PackageFile(string Path, string Role, Guid? ItemId, long Size, string Md5, string Sha1, string Sha256);

/// <summary>The node key's signature over the exact bytes of <c>manifest.json</c>, with the public key that checks it.</summary>
public sealed record PackageSignature(string Algorithm, string Encoding, string Signature, string PublicKey, string Fingerprint);

/// <summary>An item's acquisition record with every field its first custody entry's digest covers.</summary>
public sealed record PackagedAcquisition(
    Guid ItemId,
    Guid CaseId,
    Guid OwnerOrganisationId,
    string FileName,
    string? Description,
    long Size,
    string Md5,
    string Sha1,
    string Sha256,
    Guid AcquiredBy,
    string AcquiredByName,
    DateTimeOffset AcquiredAt,
    string? AcquiredWhere,
    string? Method,
    string? Tool,
    string? ToolVersion,
    string? SourceDevice,
    string? SealNumber,
    string? Notes,
    DateTimeOffset RecordedAt,
    string Handling,
    string? Evaluation)
{
    internal static PackagedAcquisition From(EvidenceItem i) => new(
        i.Id, i.CaseId!.Value, i.OwnerOrganisationId, i.FileName, i.Description, i.Size, i.Md5, i.Sha1, i.Sha256, i.AcquiredBy, i.AcquiredByName,
        i.AcquiredAt, i.AcquiredWhere, i.Method, i.Tool, i.ToolVersion, i.SourceDevice, i.SealNumber, i.Notes, i.RecordedAt,
        Sharing.HandlingCodeSpelling.Spell(i.Handling), i.Evaluation);

    /// <summary>The item as far as <see cref="CustodyChain.AcquisitionDigest"/> reads it.</summary>
    internal EvidenceItem ToItem() => new()
    {
        Id = ItemId,
        CaseId = CaseId,
        OwnerOrganisationId = OwnerOrganisationId,
        FileName = FileName,
        Description = Description,
        Size = Size,
        Md5 = Md5,
        Sha1 = Sha1,
        Sha256 = Sha256,
        AcquiredBy = AcquiredBy,
        AcquiredByName = AcquiredByName,
        AcquiredAt = AcquiredAt,
        AcquiredWhere = AcquiredWhere,
        Method = Method,
        Tool = Tool,
        ToolVersion = ToolVersion,
        SourceDevice = SourceDevice,
        SealNumber = SealNumber,
        Notes = Notes,
        RecordedAt = RecordedAt,
    };
}

/// <summary>An item's whole custody log with its chain hashes, so that the chain can be recomputed offline.</summary>
public sealed record PackagedCustody(Guid ItemId, IReadOnlyList<PackagedCustodyEntry> Entries);

public sealed record PackagedCustodyEntry(
    int Sequence,
    string Action,
    DateTimeOffset OccurredAt,
    Guid? ActorUserId,
    string Actor,
    Guid? FromUserId,
    Guid? ToUserId,
    string? SealNumber,
    string? Notes,
    string VerifiedSha256,
    string? AcquisitionDigest,
    string PreviousHash,
    string Hash)
{
    internal static PackagedCustodyEntry From(CustodyEntry e) => new(
        e.Sequence, e.Action.Spell(), e.OccurredAt, e.ActorUserId, e.ActorName, e.FromUserId, e.ToUserId, e.SealNumber, e.Notes,
        e.VerifiedSha256, e.AcquisitionDigest, e.PreviousHash, e.Hash);

    /// <summary>The entry as the chain hashes it; null when its action is not a custody step.</summary>
    internal CustodyEntry? ToEntry(Guid item) => CustodyActions.TryParse(Action, out var action)
        ? new CustodyEntry
        {
            EvidenceId = item,
            Sequence = Sequence,
            Action = action,
            OccurredAt = OccurredAt,
            ActorUserId = ActorUserId,
            ActorName = Actor,
            FromUserId = FromUserId,
            ToUserId = ToUserId,
            SealNumber = SealNumber,
            Notes = Notes,
            VerifiedSha256 = VerifiedSha256,
            AcquisitionDigest = AcquisitionDigest,
            PreviousHash = PreviousHash,
            Hash = Hash,
        }
        : null;
}
