using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Ribat.Forensics.Evtx;

/// <summary>
/// Decodes substitution values by their binary XML type (libyal's "Windows XML Event Log (EVTX)" value types),
/// rendered as the evtx JSON twins show them: GUIDs upper-case without braces, hex integers <c>0x</c> lower-case,
/// binary as upper-case hex, times as ISO 8601 UTC with microseconds.
/// </summary>
internal static class BinXmlValues
{
    public const byte NullType = 0x00;
    public const byte StringType = 0x01;
    public const byte AnsiStringType = 0x02;
    public const byte BinaryType = 0x0e;
    public const byte EvtHandleType = 0x20;
    public const byte BinXmlType = 0x21;
    public const byte EvtXmlType = 0x23;
    public const byte ArrayFlag = 0x80;

    /// <summary>Types whose value is a nested binary XML fragment, expanded into elements rather than text.</summary>
    public static bool IsXml(byte type) => type is BinXmlType or EvtXmlType;

    public static EvtxValue Decode(ReadOnlySpan<byte> data, byte type, StringTable strings)
    {
        if ((type & ArrayFlag) != 0)
        {
            return DecodeArray(data, (byte)(type & ~ArrayFlag), strings);
        }

        return type switch
        {
            NullType => EvtxValue.Null,
            StringType => EvtxValue.FromString(Utf16(data, strings)),
            AnsiStringType => EvtxValue.FromString(Ansi(data)),
            0x03 => Need(data, 1) ? EvtxValue.FromSigned((sbyte)data[0]) : Short(),
            0x04 => Need(data, 1) ? EvtxValue.FromUnsigned(data[0]) : Short(),
            0x05 => Need(data, 2) ? EvtxValue.FromSigned(BinaryPrimitives.ReadInt16LittleEndian(data)) : Short(),
            0x06 => Need(data, 2) ? EvtxValue.FromUnsigned(BinaryPrimitives.ReadUInt16LittleEndian(data)) : Short(),
            0x07 => Need(data, 4) ? EvtxValue.FromSigned(BinaryPrimitives.ReadInt32LittleEndian(data)) : Short(),
            0x08 => Need(data, 4) ? EvtxValue.FromUnsigned(BinaryPrimitives.ReadUInt32LittleEndian(data)) : Short(),
            0x09 => Need(data, 8) ? EvtxValue.FromSigned(BinaryPrimitives.ReadInt64LittleEndian(data)) : Short(),
            0x0a => Need(data, 8) ? EvtxValue.FromUnsigned(BinaryPrimitives.ReadUInt64LittleEndian(data)) : Short(),
            0x0b => Need(data, 4) ? EvtxValue.FromReal32(BinaryPrimitives.ReadSingleLittleEndian(data)) : Short(),
            0x0c => Need(data, 8) ? EvtxValue.FromReal64(BinaryPrimitives.ReadDoubleLittleEndian(data)) : Short(),
            0x0d => EvtxValue.FromBoolean(AnyNonZero(data)),
            BinaryType => EvtxValue.FromString(Convert.ToHexString(data)),
            0x0f => Need(data, 16) ? EvtxValue.FromString(Guid(data, strings)) : Short(),
            0x10 => EvtxValue.FromString(SizeT(data)),
            0x11 => Need(data, 8) ? EvtxValue.FromString(FileTime(BinaryPrimitives.ReadInt64LittleEndian(data))) : Short(),
            0x12 => Need(data, 16) ? EvtxValue.FromString(SystemTime(data)) : Short(),
            0x13 => EvtxValue.FromString(Sid(data, strings, out _)),
            0x14 => Need(data, 4) ? EvtxValue.FromString(Hex(data[..4], strings)) : Short(),
            0x15 => Need(data, 8) ? EvtxValue.FromString(Hex(data[..8], strings)) : Short(),
            EvtHandleType => EvtxValue.FromUnsigned(data.Length >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(data) : data.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(data) : 0),
            _ => BinXmlFormatException.Throw<EvtxValue>("unknown value type"),
        };
    }

    /// <summary>The FILETIME as ISO 8601 UTC to the microsecond, as the JSON twins show it; out of range, its raw number.</summary>
    public static string FileTime(long ticks)
    {
        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks - DateTime.FromFileTimeUtc(0).Ticks)
        {
            return ticks.ToString(CultureInfo.InvariantCulture);
        }

        return Iso8601(DateTime.FromFileTimeUtc(ticks));
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>: the fraction cut, not rounded, to the microsecond, as that format gives it.</summary>
    private static string Iso8601(DateTime at) => string.Create(27, at, static (text, at) =>
    {
        // The date in one step: Year, Month and Day each work it out from the ticks again.
        var (year, month, day) = at;
        Put(text[..4], year);
        text[4] = '-';
        Put(text[5..7], month);
        text[7] = '-';
        Put(text[8..10], day);
        text[10] = 'T';
        Put(text[11..13], at.Hour);
        text[13] = ':';
        Put(text[14..16], at.Minute);
        text[16] = ':';
        Put(text[17..19], at.Second);
        text[19] = '.';
        Put(text[20..26], (int)(at.Ticks % TimeSpan.TicksPerSecond / 10));
        text[26] = 'Z';
    });

    /// <summary>Writes <paramref name="value"/> in decimal, zero-padded to the span's length.</summary>
    private static void Put(Span<char> digits, int value)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    public static DateTimeOffset? ParseTimestamp(string? text)
    {
        // The text FileTime writes (every TimeCreated Windows records) is read directly; anything else by the parser.
        if (text is { Length: 27 } && TryReadIso8601(text, out var exact))
        {
            return exact;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> with a date and time that exist; false for anything else.</summary>
    private static bool TryReadIso8601(string text, out DateTimeOffset at)
    {
        at = default;
        if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[26] != 'Z')
        {
            return false;
        }

        var year = Digits(text, 0, 4);
        var month = Digits(text, 5, 2);
        var day = Digits(text, 8, 2);
        var hour = Digits(text, 11, 2);
        var minute = Digits(text, 14, 2);
        var second = Digits(text, 17, 2);
        var micros = Digits(text, 20, 6);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59 || micros < 0)
        {
            return false;
        }

        at = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(micros * 10L));
        return true;
    }

    /// <summary>The decimal number in text[start..start+count), or -1 when a character is not an ASCII digit.</summary>
    private static int Digits(string text, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                return -1;
            }

            value = (value * 10) + digit;
        }

        return value;
    }

    private static bool Need(ReadOnlySpan<byte> data, int size) => data.Length >= size;

    private static EvtxValue Short() => BinXmlFormatException.Throw<EvtxValue>("value shorter than its type");

    private static bool AnyNonZero(ReadOnlySpan<byte> data) => data.IndexOfAnyExcept((byte)0) >= 0;

    /// <summary>UTF-16 text; the terminating NULs some writers include are not part of the value.</summary>
    private static string Utf16(ReadOnlySpan<byte> data, StringTable strings) =>
        strings.Get(MemoryMarshal.Cast<byte, char>(data[..(data.Length & ~1)]).TrimEnd('\0'));

    /// <summary>ANSI text read as Latin-1: the log's code page is not recorded in the file.</summary>
    private static string Ansi(ReadOnlySpan<byte> data) => Encoding.Latin1.GetString(data.TrimEnd((byte)0));

    private static string Guid(ReadOnlySpan<byte> data, StringTable strings) =>
        strings.Known(0x0f, data[..16]) ?? strings.Keep(0x0f, data[..16], RenderGuid(data, strings));

    private static string RenderGuid(ReadOnlySpan<byte> data, StringTable strings)
    {
        Span<char> text = stackalloc char[36];
        new Guid(data[..16]).TryFormat(text, out _, "D");
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = char.ToUpperInvariant(text[i]);
        }

        return strings.Get(text);
    }

    private static string Hex(ReadOnlySpan<byte> data, StringTable strings) =>
        strings.Known(0x15, data) ?? strings.Keep(0x15, data, Hex(data.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(data) : BinaryPrimitives.ReadUInt64LittleEndian(data), strings));

    private static string Hex(ulong value, StringTable strings)
    {
        Span<char> text = stackalloc char[18];
        var at = text.Length;
        do
        {
            text[--at] = "0123456789abcdef"[(int)(value & 0xf)];
            value >>= 4;
        }
        while (value != 0);

        text[--at] = 'x';
        text[--at] = '0';
        return strings.Get(text[at..]);
    }

    private static string SizeT(ReadOnlySpan<byte> data) => data.Length >= 8
        ? "0x" + BinaryPrimitives.ReadUInt64LittleEndian(data).ToString("x16", CultureInfo.InvariantCulture)
        : data.Length >= 4 ? "0x" + BinaryPrimitives.ReadUInt32LittleEndian(data).ToString("x8", CultureInfo.InvariantCulture) : Short().ToText()!;

    private static string SystemTime(ReadOnlySpan<byte> data)
    {
        Span<int> words = stackalloc int[8];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]);
        }

        // Word 2 is the day of the week, redundant with the date.
        var (year, month, day, hour, minute, second, millisecond) = (words[0], words[1], words[3], words[4], words[5], words[6], words[7]);
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59 || millisecond > 999)
        {
            return Convert.ToHexString(data[..16]);
        }

        return Iso8601(new DateTime(year, month, day, hour, minute, second, millisecond, DateTimeKind.Utc));
    }

    /// <summary>A SID as S-R-A-S1-…; <paramref name="size"/> is how many bytes it took.</summary>
    private static string Sid(ReadOnlySpan<byte> data, StringTable strings, out int size)
    {
        if (data.Length < 8 || data.Length < 8 + (data[1] * 4))
        {
            size = 0;
            return BinXmlFormatException.Throw<string>("SID shorter than its sub-authorities");
        }

        size = 8 + (data[1] * 4);
        return strings.Known(0x13, data[..size]) ?? strings.Keep(0x13, data[..size], RenderSid(data, strings));
    }

    private static string RenderSid(ReadOnlySpan<byte> data, StringTable strings)
    {
        ulong authority = 0;
        for (var i = 2; i < 8; i++)
        {
            authority = (authority << 8) | data[i];
        }

        // At most 255 sub-authorities of 11 characters each, plus the head.
        Span<char> text = stackalloc char[64 + (255 * 11)];
        var length = 0;
        Append(text, ref length, "S-");
        data[0].TryFormat(text[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
        Append(text, ref length, "-");
        authority.TryFormat(text[length..], out written, default, CultureInfo.InvariantCulture);
        length += written;
        for (var i = 0; i < data[1]; i++)
        {
            Append(text, ref length, "-");
            BinaryPrimitives.ReadUInt32LittleEndian(data[(8 + (i * 4))..]).TryFormat(text[length..], out written, default, CultureInfo.InvariantCulture);
            length += written;
        }

        return strings.Get(text[..length]);
    }

    private static void Append(Span<char> text, ref int length, string piece)
    {
        piece.CopyTo(text[length..]);
        length += piece.Length;
    }

    private static EvtxValue DecodeArray(ReadOnlySpan<byte> data, byte type, StringTable strings)
    {
        switch (type)
        {
            case StringType:
                return SplitText(data, wide: true, strings);
            case AnsiStringType:
                return SplitText(data, wide: false, strings);
            case BinaryType or BinXmlType or EvtXmlType or NullType:
                // No element boundaries are recorded for these: the whole array is one hex run.
                return EvtxValue.FromString(Convert.ToHexString(data));
            case 0x13:
                return SidArray(data, strings);
        }

        var width = FixedWidth(type, data.Length);
        var items = new EvtxValue[data.Length / width];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = Decode(data.Slice(i * width, width), type, strings);
        }

        return EvtxValue.FromArray(items);
    }

    private static int FixedWidth(byte type, int total) => type switch
    {
        0x03 or 0x04 => 1,
        0x05 or 0x06 => 2,
        0x07 or 0x08 or 0x0b or 0x0d or 0x14 => 4,
        0x09 or 0x0a or 0x0c or 0x11 or 0x15 => 8,
        0x0f or 0x12 => 16,
        0x10 or EvtHandleType => total % 8 == 0 ? 8 : 4,
        _ => BinXmlFormatException.Throw<int>("unknown array value type"),
    };

    private static EvtxValue SplitText(ReadOnlySpan<byte> data, bool wide, StringTable strings)
    {
        var items = new List<EvtxValue>();
        var unit = wide ? 2 : 1;
        var start = 0;
        for (var at = 0; at + unit <= data.Length; at += unit)
        {
            if (data[at] == 0 && (!wide || data[at + 1] == 0))
            {
                items.Add(EvtxValue.FromString(wide ? Utf16(data[start..at], strings) : Ansi(data[start..at])));
                start = at + unit;
            }
        }

        if (start < data.Length - (unit - 1))
        {
            items.Add(EvtxValue.FromString(wide ? Utf16(data[start..], strings) : Ansi(data[start..])));
        }

        return EvtxValue.FromArray([.. items]);
    }

    private static EvtxValue SidArray(ReadOnlySpan<byte> data, StringTable strings)
    {
        var items = new List<EvtxValue>();
        while (data.Length >= 8)
        {
            items.Add(EvtxValue.FromString(Sid(data, strings, out var size)));
            data = data[size..];
        }

        return EvtxValue.FromArray([.. items]);
    }
}
