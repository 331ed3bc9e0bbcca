using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace Ribat.Forensics.Tests.Evtx;

/// <summary>Compares two JSON trees and names the first place they differ, so a failing twin says where.</summary>
internal static partial class JsonDifference
{
    public static string? First(JsonNode? expected, JsonNode? actual, string path)
    {
        var kind = expected?.GetValueKind() ?? JsonValueKind.Null;
        var actualKind = actual?.GetValueKind() ?? JsonValueKind.Null;
        if (kind != actualKind)
        {
            return $"{path}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}";
        }

        switch (kind)
        {
            case JsonValueKind.Object:
                var left = expected!.AsObject();
                var right = actual!.AsObject();
                foreach (var (name, value) in left)
                {
                    if (!right.ContainsKey(name))
                    {
                        return $"{path}.{name}: missing";
                    }

                    if (First(value, right[name], path + "." + name) is { } inner)
                    {
                        return inner;
                    }
                }

                foreach (var (name, _) in right)
                {
                    if (!left.ContainsKey(name))
                    {
                        return $"{path}.{name}: not expected";
                    }
                }

                return null;
            case JsonValueKind.Array:
                var items = expected!.AsArray();
                var others = actual!.AsArray();
                if (items.Count != others.Count)
                {
                    return $"{path}: {items.Count} items expected, got {others.Count}";
                }

                for (var i = 0; i < items.Count; i++)
                {
                    if (First(items[i], others[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Number:
                return expected!.GetValue<decimal>() == actual!.GetValue<decimal>() ? null : $"{path}: expected {expected}, got {actual}";
            case JsonValueKind.String when expected!.GetValue<string>() is var text && NanosecondTime().IsMatch(text):
                // One twin was written by an older evtx_dump that showed nanoseconds; the current one shows microseconds.
                var micro = text[..^4] + "Z";
                return micro == actual!.GetValue<string>() ? null : $"{path}: expected {micro}, got {actual.ToJsonString()}";
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path}: expected {expected!.ToJsonString()}, got {actual!.ToJsonString()}";
        }
    }

    /// <summary>The twins hold one JSON object, or several written one after the other.</summary>
    public static List<JsonNode> ReadConcatenated(string text)
    {
        var nodes = new List<JsonNode>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            nodes.Add(JsonNode.Parse(ref reader)!);
        }

        return nodes;
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")]
    private static partial Regex NanosecondTime();
}
