using System.Buffers.Text;

namespace Ribat.Core.Common;

/// <summary>One page of a keyset-paginated listing; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Opaque cursors over time-ordered keys (UUIDv7 ids or audit sequence numbers). Keyset paging keeps
/// a deep page as cheap as the first and never skips or repeats a row when rows are added meanwhile.
/// </summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static string Encode(Guid id) => Base64Url.EncodeToString(id.ToByteArray(bigEndian: true));

    public static string Encode(long sequence) => Base64Url.EncodeToString(BitConverter.GetBytes(sequence));

    public static Result<Guid?> DecodeGuid(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return (Guid?)null;
        }

        Span<byte> bytes = stackalloc byte[24];
        if (!TryDecode(cursor, bytes, out var written) || written != 16)
        {
            return Error.Validation("cursor", "The cursor is not one this server issued.");
        }

        return (Guid?)new Guid(bytes[..16], bigEndian: true);
    }

    public static Result<long?> DecodeSequence(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return (long?)null;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!TryDecode(cursor, bytes, out var written) || written != 8)
        {
            return Error.Validation("cursor", "The cursor is not one this server issued.");
        }

        return (long?)BitConverter.ToInt64(bytes[..8]);
    }

    /// <summary>Base64Url's Try-method still throws on characters outside its alphabet and on impossible lengths; a cursor comes from the caller.</summary>
    private static bool TryDecode(string cursor, Span<byte> bytes, out int written)
    {
        try
        {
            return Base64Url.TryDecodeFromChars(cursor, bytes, out written);
        }
        catch (FormatException)
        {
            written = 0;
            return false;
        }
    }

    /// <summary>A page request over UUIDv7 keys: where to continue after (null: from the start) and how many.</summary>
    public static Result<(Guid? After, int Limit)> ReadGuidPage(string? cursor, int? limit)
    {
        var take = Limit(limit);
        var after = DecodeGuid(cursor);
        return (take.Error ?? after.Error) is { } invalid ? invalid : (after.Value, take.Value);
    }

    /// <summary>A page request over audit sequence numbers, newest first: where to continue before, and how many.</summary>
    public static Result<(long? Before, int Limit)> ReadSequencePage(string? cursor, int? limit)
    {
        var take = Limit(limit);
        var before = DecodeSequence(cursor);
        return (take.Error ?? before.Error) is { } invalid ? invalid : (before.Value, take.Value);
    }

    public static Result<int> Limit(int? limit)
    {
        var value = limit ?? DefaultLimit;
        return value is < 1 or > MaxLimit
            ? Error.Validation("limit", $"limit must be between 1 and {MaxLimit}.")
            : value;
    }
}
