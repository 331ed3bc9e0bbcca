using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Ribat.Core.Audit;

namespace Ribat.Core.Evidence;

/// <summary>
/// The hash chain over one item's custody entries, built the way the audit log's is (<see cref="AuditChain"/>):
/// each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical content (a JSON object with
/// a fixed property order), so altering, removing, inserting or reordering an entry breaks it. The acquisition entry
/// also covers the acquisition record and the file's hashes, through <see cref="AcquisitionDigest"/>.
/// </summary>
public static class CustodyChain
{
    public static readonly string Genesis = AuditChain.Genesis;

    public static string ComputeHash(CustodyEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("prev", entry.PreviousHash);
            json.WriteString("item", entry.EvidenceId.ToString("D"));
            json.WriteNumber("seq", entry.Sequence);
            json.WriteString("action", entry.Action.Spell());
            json.WriteString("at", Instant(entry.OccurredAt));
            json.WriteString("actorId", entry.ActorUserId?.ToString("D"));
            json.WriteString("actor", entry.ActorName);
            json.WriteString("from", entry.FromUserId?.ToString("D"));
            json.WriteString("to", entry.ToUserId?.ToString("D"));
            json.WriteString("seal", entry.SealNumber);
            json.WriteString("notes", entry.Notes);
            json.WriteString("sha256", entry.VerifiedSha256);
            json.WriteString("acquisition", entry.AcquisitionDigest);
            json.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>SHA-256 over the item's fixed fields: identity, file hashes and the acquisition record.</summary>
    public static string AcquisitionDigest(EvidenceItem item)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("item", item.Id.ToString("D"));
            // A case item's digest is what it always was; an incident item names its incident instead.
            if (item.IncidentId is { } incident)
            {
                json.WriteString("incident", incident.ToString("D"));
            }
            else
            {
                json.WriteString("case", item.CaseId!.Value.ToString("D"));
            }

            json.WriteString("owner", item.OwnerOrganisationId.ToString("D"));
            json.WriteString("fileName", item.FileName);
            json.WriteString("description", item.Description);
            json.WriteNumber("size", item.Size);
            json.WriteString("md5", item.Md5);
            json.WriteString("sha1", item.Sha1);
            json.WriteString("sha256", item.Sha256);
            json.WriteString("acquiredBy", item.AcquiredBy.ToString("D"));
            json.WriteString("acquiredByName", item.AcquiredByName);
            json.WriteString("acquiredAt", Instant(item.AcquiredAt));
            json.WriteString("where", item.AcquiredWhere);
            json.WriteString("method", item.Method);
            json.WriteString("tool", item.Tool);
            json.WriteString("toolVersion", item.ToolVersion);
            json.WriteString("sourceDevice", item.SourceDevice);
            json.WriteString("seal", item.SealNumber);
            json.WriteString("notes", item.Notes);
            json.WriteString("recordedAt", Instant(item.RecordedAt));
            json.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>Why the chain is broken at <paramref name="entry"/>, or null when it links to its predecessor.</summary>
    public static string? Check(CustodyEntry entry, int expectedSequence, string expectedPrevious)
    {
        if (entry.Sequence != expectedSequence)
        {
            return entry.Sequence > expectedSequence
                ? $"entry {expectedSequence} is missing (next entry found is {entry.Sequence})"
                : $"entry {entry.Sequence} is out of order (expected {expectedSequence})";
        }

        if (!string.Equals(entry.PreviousHash, expectedPrevious, StringComparison.Ordinal))
        {
            return $"entry {entry.Sequence} does not link to the entry before it (an entry was removed, inserted or reordered)";
        }

        return string.Equals(ComputeHash(entry), entry.Hash, StringComparison.Ordinal)
            ? null
            : $"entry {entry.Sequence} was altered: its content no longer matches its hash";
    }

    /// <summary>Links <paramref name="entry"/> after <paramref name="previousHash"/> and seals it with its hash.</summary>
    public static void Link(CustodyEntry entry, string previousHash)
    {
        entry.OccurredAt = AuditChain.Normalise(entry.OccurredAt);
        entry.PreviousHash = previousHash;
        entry.Hash = ComputeHash(entry);
    }

    /// <summary>Both databases keep microseconds; hashes cover exactly what is stored.</summary>
    private static string Instant(DateTimeOffset time) =>
        AuditChain.Normalise(time).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
