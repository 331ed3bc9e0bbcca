using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ribat.Core.Audit;

/// <summary>
/// The hash chain over audit rows: each row's hash is SHA-256 over the previous row's hash and the row's
/// canonical content (a JSON object with a fixed property order), so altering, removing or reordering any
/// row breaks every hash after it.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first row.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Both databases keep microseconds; the hash must cover exactly what is stored.</summary>
    public static DateTimeOffset Normalise(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    public static string ComputeHash(AuditEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("prev", entry.PreviousHash);
            json.WriteNumber("seq", entry.Sequence);
            json.WriteString("at", Normalise(entry.OccurredAt).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteNumber("code", entry.Code);
            json.WriteString("event", entry.Event);
            json.WriteString("org", entry.OrganisationId?.ToString("D"));
            json.WriteString("actorId", entry.ActorUserId?.ToString("D"));
            json.WriteString("actor", entry.ActorName);
            json.WriteString("targetType", entry.TargetType);
            json.WriteString("targetId", entry.TargetId);
            json.WriteString("details", entry.Details);
            json.WriteString("address", entry.Address);
            json.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>Why the chain is broken at <paramref name="entry"/>, or null when it links to its predecessor.</summary>
    public static string? Check(AuditEntry entry, long expectedSequence, string expectedPrevious)
    {
        if (entry.Sequence != expectedSequence)
        {
            return entry.Sequence > expectedSequence
                ? $"row {expectedSequence} is missing (next row found is {entry.Sequence})"
                : $"row {entry.Sequence} is out of order (expected {expectedSequence})";
        }

        if (!string.Equals(entry.PreviousHash, expectedPrevious, StringComparison.Ordinal))
        {
            return $"row {entry.Sequence} does not link to the row before it (a row was removed, inserted or reordered)";
        }

        return string.Equals(ComputeHash(entry), entry.Hash, StringComparison.Ordinal)
            ? null
            : $"row {entry.Sequence} was altered: its content no longer matches its hash";
    }
}
