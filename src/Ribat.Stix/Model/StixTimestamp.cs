using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ribat.Stix.Model;

/// <summary>
/// A STIX timestamp: RFC 3339 in UTC with <c>Z</c>. It remembers how many fractional digits it was written with, so
/// reading and writing it back never adds or drops sub-second digits (nanoseconds are kept beyond .NET's 100 ns tick).
/// </summary>
[JsonConverter(typeof(StixTimestampConverter))]
public readonly struct StixTimestamp : IEquatable<StixTimestamp>, IComparable<StixTimestamp>
{
    /// <summary>Longest fraction accepted: nanoseconds.</summary>
    public const int MaxFractionDigits = 9;

    private readonly long _seconds;
    private readonly int _nanoseconds;

    private StixTimestamp(long seconds, int nanoseconds, int fractionDigits)
    {
        _seconds = seconds;
        _nanoseconds = nanoseconds;
        FractionDigits = fractionDigits;
    }

    /// <summary>Digits written after the seconds (0 means none and no dot).</summary>
    public int FractionDigits { get; }

    /// <summary>The instant, truncated to .NET's 100 ns tick.</summary>
    public DateTime UtcDateTime => DateTime.UnixEpoch.AddSeconds(_seconds).AddTicks(_nanoseconds / 100);

    /// <summary>A timestamp for generated objects: milliseconds at least, as the spec asks of <c>created</c>/<c>modified</c>.</summary>
    public static StixTimestamp FromDateTime(DateTime value, int fractionDigits = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fractionDigits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fractionDigits, 7);
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        var ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        var nanoseconds = (int)(remainder * 100);
        var scale = Pow10(MaxFractionDigits - fractionDigits);
        return new StixTimestamp(seconds, nanoseconds / scale * scale, fractionDigits);
    }

    /// <summary>Now, from the given clock, with millisecond precision.</summary>
    public static StixTimestamp Now(TimeProvider clock) => FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Parses <c>YYYY-MM-DDTHH:MM:SS[.fraction]Z</c>; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out StixTimestamp value, out string? error)
    {
        value = default;
        error = null;
        if (text.Length < 20 || text.Length > 64)
        {
            error = "a timestamp is YYYY-MM-DDTHH:MM:SS[.s]Z";
            return false;
        }

        if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[^1] != 'Z')
        {
            error = "a timestamp is YYYY-MM-DDTHH:MM:SS[.s]Z in UTC with an upper-case T and Z";
            return false;
        }

        if (!TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..10], out var day)
            || !TryDigits(text[11..13], out var hour) || !TryDigits(text[14..16], out var minute) || !TryDigits(text[17..19], out var second))
        {
            error = "a timestamp's date and time fields are decimal digits";
            return false;
        }

        var fractionDigits = 0;
        var nanoseconds = 0;
        if (text.Length > 20)
        {
            var fraction = text[19..^1];
            if (fraction[0] != '.' || fraction.Length < 2 || !TryDigits(fraction[1..], out nanoseconds))
            {
                error = "a timestamp's fraction is a dot and digits before the Z";
                return false;
            }

            fractionDigits = fraction.Length - 1;
            if (fractionDigits > MaxFractionDigits)
            {
                error = $"a timestamp's fraction has at most {MaxFractionDigits} digits";
                return false;
            }

            nanoseconds *= Pow10(MaxFractionDigits - fractionDigits);
        }

        // RFC 3339 allows a leap second (60); .NET cannot hold it, so it is refused rather than silently moved.
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            error = "a timestamp names a date or time that does not exist";
            return false;
        }

        var date = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        value = new StixTimestamp((date.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond, nanoseconds, fractionDigits);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/>.</summary>
    public static StixTimestamp Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException($"'{text}': {error}");

    public override string ToString()
    {
        Span<char> buffer = stackalloc char[32];
        return new string(buffer[..Format(buffer)]);
    }

    /// <summary>Writes the RFC 3339 form into <paramref name="destination"/> (32 chars are enough) and returns its length.</summary>
    public int Format(Span<char> destination)
    {
        var date = DateTime.UnixEpoch.AddSeconds(_seconds);
        date.TryFormat(destination, out var written, "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture);
        if (FractionDigits > 0)
        {
            destination[written++] = '.';
            var digits = _nanoseconds / Pow10(MaxFractionDigits - FractionDigits);
            digits.TryFormat(destination[written..], out var fractionWritten, new string('0', FractionDigits), CultureInfo.InvariantCulture);
            written += fractionWritten;
        }

        destination[written++] = 'Z';
        return written;
    }

    public bool Equals(StixTimestamp other) =>
        _seconds == other._seconds && _nanoseconds == other._nanoseconds && FractionDigits == other.FractionDigits;

    public override bool Equals(object? obj) => obj is StixTimestamp other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_seconds, _nanoseconds, FractionDigits);

    /// <summary>Orders by instant only: <c>…:00Z</c> and <c>…:00.000Z</c> are the same moment.</summary>
    public int CompareTo(StixTimestamp other)
    {
        var bySeconds = _seconds.CompareTo(other._seconds);
        return bySeconds != 0 ? bySeconds : _nanoseconds.CompareTo(other._nanoseconds);
    }

    public static bool operator ==(StixTimestamp left, StixTimestamp right) => left.Equals(right);

    public static bool operator !=(StixTimestamp left, StixTimestamp right) => !left.Equals(right);

    public static bool operator <(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) < 0;

    public static bool operator >(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) > 0;

    public static bool operator <=(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) <= 0;

    public static bool operator >=(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) >= 0;

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return true;
    }

    private static int Pow10(int exponent)
    {
        var result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}

/// <summary>Reads and writes <see cref="StixTimestamp"/> as its RFC 3339 string.</summary>
public sealed class StixTimestampConverter : JsonConverter<StixTimestamp>
{
    public override StixTimestamp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a timestamp string, found {reader.TokenType}");
        }

        Span<char> buffer = stackalloc char[32];
        var length = reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > 32
            ? -1
            : System.Text.Encoding.UTF8.GetChars(reader.ValueSpan, buffer);
        var text = length >= 0 ? buffer[..length] : (reader.GetString() ?? string.Empty).AsSpan();
        return StixTimestamp.TryParse(text, out var value, out var error)
            ? value
            : throw new JsonException($"'{Shorten(text)}' is not a STIX timestamp: {error}");
    }

    public override void Write(Utf8JsonWriter writer, StixTimestamp value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[32];
        writer.WriteStringValue(buffer[..value.Format(buffer)]);
    }

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? new string(text) : new string(text[..40]) + "…";
}
