using System.Globalization;

namespace Ribat.Forensics.Evtx;

/// <summary>How a value is written in JSON: the evtx JSON twins keep numbers and booleans unquoted.</summary>
public enum EvtxValueKind : byte
{
    Null,
    String,
    Signed,
    Unsigned,
    Real,
    Boolean,
    Array,
}

/// <summary>
/// One decoded substitution or text value. Types without a JSON form of their own (GUID, SID, FILETIME, hex
/// integers, binary) are already rendered to the text the evtx JSON twins show, so they are strings here.
/// </summary>
/// <remarks>
/// Sixteen bytes: the kind is told by what the reference holds (nothing, a string, an array, the text of a 32-bit
/// real, or one shared marker per numeric kind), so a record's values take two words each.
/// </remarks>
public readonly struct EvtxValue
{
    private static readonly KindMarker SignedMarker = new(EvtxValueKind.Signed);
    private static readonly KindMarker UnsignedMarker = new(EvtxValueKind.Unsigned);
    private static readonly KindMarker RealMarker = new(EvtxValueKind.Real);
    private static readonly KindMarker BooleanMarker = new(EvtxValueKind.Boolean);

    private readonly object? _reference;
    private readonly long _bits;

    private EvtxValue(object? reference, long bits)
    {
        _reference = reference;
        _bits = bits;
    }

    public static EvtxValue Null => default;

    public EvtxValueKind Kind => _reference switch
    {
        null => EvtxValueKind.Null,
        string => EvtxValueKind.String,
        KindMarker marker => marker.Kind,
        Real32Text => EvtxValueKind.Real,
        _ => EvtxValueKind.Array,
    };

    public bool IsNull => _reference is null;

    public long Signed => _bits;

    public ulong Unsigned => unchecked((ulong)_bits);

    public double Real => BitConverter.Int64BitsToDouble(_bits);

    public bool Boolean => _bits != 0;

    /// <summary>The text of a <see cref="EvtxValueKind.String"/> value, null for other kinds.</summary>
    public string? Text => _reference as string;

    /// <summary>The items of an <see cref="EvtxValueKind.Array"/> value, empty for other kinds.</summary>
    public ReadOnlySpan<EvtxValue> Items => _reference as EvtxValue[] ?? [];

    public static EvtxValue FromString(string text) => new(text, 0);

    public static EvtxValue FromSigned(long value) => new(SignedMarker, value);

    public static EvtxValue FromUnsigned(ulong value) => new(UnsignedMarker, unchecked((long)value));

    /// <summary>A 32-bit real keeps its own shortest text (0.1f is "0.1", not "0.10000000149011612").</summary>
    public static EvtxValue FromReal32(float value) =>
        float.IsFinite(value) ? new(new Real32Text(value.ToString("R", CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value)) : FromString(value.ToString(CultureInfo.InvariantCulture));

    public static EvtxValue FromReal64(double value) =>
        double.IsFinite(value) ? new(RealMarker, BitConverter.DoubleToInt64Bits(value)) : FromString(value.ToString(CultureInfo.InvariantCulture));

    public static EvtxValue FromBoolean(bool value) => new(BooleanMarker, value ? 1 : 0);

    public static EvtxValue FromArray(EvtxValue[] items) => new(items, 0);

    /// <summary>
    /// The value as flat text, as the evtx JSON twins show it: strings without trailing white space, numbers in
    /// invariant decimal, booleans <c>true</c>/<c>false</c>, arrays joined with commas, null as null.
    /// <see cref="Text"/> keeps a string exactly as recorded.
    /// </summary>
    public string? ToText() => Kind switch
    {
        EvtxValueKind.Null => null,
        EvtxValueKind.String => ((string)_reference!).TrimEnd(),
        EvtxValueKind.Signed => _bits.ToString(CultureInfo.InvariantCulture),
        EvtxValueKind.Unsigned => Unsigned.ToString(CultureInfo.InvariantCulture),
        EvtxValueKind.Real => RealText(),
        EvtxValueKind.Boolean => _bits != 0 ? "true" : "false",
        _ => JoinItems(),
    };

    public override string ToString() => ToText() ?? "null";

    /// <summary>The shortest text that reads back as the same number.</summary>
    internal string RealText() => _reference is Real32Text own ? own.Text : Real.ToString("R", CultureInfo.InvariantCulture);

    private string JoinItems()
    {
        var items = (EvtxValue[])_reference!;
        var parts = new string?[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            parts[i] = items[i].ToText();
        }

        return string.Join(',', parts);
    }

    private sealed class KindMarker(EvtxValueKind kind)
    {
        public EvtxValueKind Kind { get; } = kind;
    }

    private sealed class Real32Text(string text)
    {
        public string Text { get; } = text;
    }
}
