using System.Globalization;
using System.Text.Json;

namespace Ribat.Stix.Serialization;

/// <summary>
/// JSON equality as a STIX consumer sees it: property order does not matter, numbers are compared by value
/// (<c>1.0</c> equals <c>1</c>), strings after unescaping, arrays in order.
/// </summary>
public static class JsonSemantic
{
    public static bool Equals(JsonElement left, JsonElement right) => FirstDifference(left, right, "$") is null;

    /// <summary>The path of the first place the two differ, or null when they are equal.</summary>
    public static string? FirstDifference(JsonElement left, JsonElement right, string path = "$")
    {
        if (Kind(left.ValueKind) != Kind(right.ValueKind))
        {
            return path;
        }

        switch (left.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in left.EnumerateObject())
                {
                    if (!right.TryGetProperty(property.Name, out var other))
                    {
                        return $"{path}.{property.Name}";
                    }

                    var difference = FirstDifference(property.Value, other, $"{path}.{property.Name}");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                foreach (var property in right.EnumerateObject())
                {
                    if (!left.TryGetProperty(property.Name, out _))
                    {
                        return $"{path}.{property.Name}";
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (left.GetArrayLength() != right.GetArrayLength())
                {
                    return path;
                }

                var index = 0;
                using (var a = left.EnumerateArray().GetEnumerator())
                using (var b = right.EnumerateArray().GetEnumerator())
                {
                    while (a.MoveNext() && b.MoveNext())
                    {
                        var difference = FirstDifference(a.Current, b.Current, $"{path}[{index++}]");
                        if (difference is not null)
                        {
                            return difference;
                        }
                    }
                }

                return null;
            case JsonValueKind.String:
                return left.ValueEquals(right.GetString()) ? null : path;
            case JsonValueKind.Number:
                return NumbersEqual(left, right) ? null : path;
            default:
                return left.ValueKind == right.ValueKind ? null : path;
        }
    }

    private static JsonValueKind Kind(JsonValueKind kind) => kind == JsonValueKind.False ? JsonValueKind.True : kind;

    private static bool NumbersEqual(JsonElement left, JsonElement right)
    {
        if (left.TryGetDecimal(out var a) && right.TryGetDecimal(out var b))
        {
            return a == b;
        }

        return double.Parse(left.GetRawText(), CultureInfo.InvariantCulture) == double.Parse(right.GetRawText(), CultureInfo.InvariantCulture);
    }
}
