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
public readonly struct EvtxValue
{
    private readonly object? _reference;
    private readonly long _bits;

    private EvtxValue(EvtxValueKind kind, object? reference, long bits)
    {
        Kind = kind;
        _reference = reference;
        _bits = bits;
    }

    public static EvtxValue Null => default;

    public EvtxValueKind Kind { get; }

    public bool IsNull => Kind == EvtxValueKind.Null;

    public long Signed => _bits;

    public ulong Unsigned => unchecked((ulong)_bits);

    public double Real => BitConverter.Int64BitsToDouble(_bits);

    public bool Boolean => _bits != 0;

    /// <summary>The text of a <see cref="EvtxValueKind.String"/> value, null for other kinds.</summary>
    public string? Text => Kind == EvtxValueKind.String ? (string)_reference! : null;

    /// <summary>The items of an <see cref="EvtxValueKind.Array"/> value, empty for other kinds.</summary>
    public ReadOnlySpan<EvtxValue> Items => _reference as EvtxValue[] ?? [];

    public static EvtxValue FromString(string text) => new(EvtxValueKind.String, text, 0);

    public static EvtxValue FromSigned(long value) => new(EvtxValueKind.Signed, null, value);

    public static EvtxValue FromUnsigned(ulong value) => new(EvtxValueKind.Unsigned, null, unchecked((long)value));

    /// <summary>A 32-bit real keeps its own shortest text (0.1f is "0.1", not "0.10000000149011612").</summary>
    public static EvtxValue FromReal32(float value) =>
        float.IsFinite(value) ? new(EvtxValueKind.Real, value.ToString("R", CultureInfo.InvariantCulture), BitConverter.DoubleToInt64Bits(value)) : FromString(value.ToString(CultureInfo.InvariantCulture));

    public static EvtxValue FromReal64(double value) =>
        double.IsFinite(value) ? new(EvtxValueKind.Real, null, BitConverter.DoubleToInt64Bits(value)) : FromString(value.ToString(CultureInfo.InvariantCulture));

    public static EvtxValue FromBoolean(bool value) => new(EvtxValueKind.Boolean, null, value ? 1 : 0);

    public static EvtxValue FromArray(EvtxValue[] items) => new(EvtxValueKind.Array, items, 0);

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
    internal string RealText() => _reference as string ?? Real.ToString("R", CultureInfo.InvariantCulture);

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
}
