using System.Globalization;
using System.Text.Json;
using Ribat.Stix.Serialization;

namespace Ribat.Stix.Validation;

/// <summary>
/// Granular markings: each names exactly one of <c>marking_ref</c> or <c>lang</c>, and every selector
/// (<c>description</c>, <c>external_references.[0].url</c>) MUST select a property the object really has.
/// </summary>
internal static class GranularMarkings
{
    public static void Check(JsonElement value, IssueSink sink)
    {
        if (!value.TryGetProperty("granular_markings", out var markings) || markings.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        foreach (var marking in markings.EnumerateArray())
        {
            var path = $"granular_markings[{index++}]";
            if (marking.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var hasRef = marking.TryGetProperty("marking_ref", out _);
            var hasLang = marking.TryGetProperty("lang", out _);
            if (hasRef == hasLang)
            {
                sink.Error(path, "MUST have exactly one of marking_ref or lang");
            }

            if (!marking.TryGetProperty("selectors", out var selectors) || selectors.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var selectorIndex = 0;
            foreach (var selector in selectors.EnumerateArray())
            {
                var at = $"{path}.selectors[{selectorIndex++}]";
                if (selector.ValueKind == JsonValueKind.String && !Resolves(value, selector.GetString()!))
                {
                    sink.Error(at, $"'{ModelShape.Shorten(selector.GetString()!)}' does not select a property of this object");
                }
            }
        }
    }

    /// <summary>Whether a selector (dot-separated names, <c>[n]</c> for list items) reaches something in <paramref name="root"/>.</summary>
    public static bool Resolves(JsonElement root, string selector)
    {
        if (selector.Length == 0)
        {
            return false;
        }

        var current = root;
        foreach (var step in selector.Split('.'))
        {
            if (step.Length > 2 && step[0] == '[' && step[^1] == ']')
            {
                if (current.ValueKind != JsonValueKind.Array
                    || !int.TryParse(step.AsSpan(1, step.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var item)
                    || item >= current.GetArrayLength())
                {
                    return false;
                }

                current = current[item];
            }
            else if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out current))
            {
                return false;
            }
        }

        return true;
    }
}
