using System.Text.Json;

namespace Ribat.Forensics.Ioc;

/// <summary>How a MISP warning list's entries are compared with a value.</summary>
public enum WarningListKind
{
    Cidr,
    String,
    Substring,
    Hostname,
    Regex,
}

/// <summary>
/// A list of known-benign or special values (MISP warning-list format): a match means "probably a false positive",
/// never "safe". <see cref="Version"/> is kept as text because upstream uses both numbers and dates.
/// </summary>
public sealed record WarningList(
    string Name,
    string Version,
    string Description,
    WarningListKind Kind,
    IReadOnlyList<string> Entries,
    IReadOnlyList<string> MatchingAttributes)
{
    /// <summary>Parses one list from MISP JSON; a malformed file yields a reason naming the field at fault.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out WarningList? list, out string reason)
    {
        list = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            reason = $"not valid JSON: {e.Message}";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "the top level must be a JSON object.";
                return false;
            }

            if (!TryGetString(root, "name", required: true, out var name, out reason)
                || !TryGetString(root, "description", required: false, out var description, out reason)
                || !TryGetVersion(root, out var version, out reason)
                || !TryGetKind(root, out var kind, out reason)
                || !TryGetStrings(root, "list", required: true, out var entries, out reason)
                || !TryGetStrings(root, "matching_attributes", required: false, out var attributes, out reason))
            {
                return false;
            }

            list = new WarningList(name, version, description, kind, entries, attributes);
            reason = string.Empty;
            return true;
        }
    }

    public static bool TryLoadFile(string path, out WarningList? list, out string reason)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            list = null;
            reason = $"{Path.GetFileName(path)}: cannot be read: {e.Message}";
            return false;
        }

        if (!TryParse(bytes, out list, out reason))
        {
            reason = $"{Path.GetFileName(path)}: {reason}";
            return false;
        }

        return true;
    }

    /// <summary>The lists Ribat ships: private, special-use and documentation ranges and reserved names.</summary>
    public static IReadOnlyList<WarningList> BuiltIn() => BuiltInWarningLists.All;

    private static bool TryGetString(JsonElement root, string field, bool required, out string value, out string reason)
    {
        value = string.Empty;
        reason = string.Empty;
        if (!root.TryGetProperty(field, out var element))
        {
            reason = required ? $"the field '{field}' is missing." : string.Empty;
            return !required;
        }

        if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
        {
            reason = $"the field '{field}' must be a non-empty string.";
            return false;
        }

        value = element.GetString()!;
        return true;
    }

    private static bool TryGetVersion(JsonElement root, out string version, out string reason)
    {
        version = string.Empty;
        reason = string.Empty;
        if (!root.TryGetProperty("version", out var element))
        {
            reason = "the field 'version' is missing.";
            return false;
        }

        version = element.ValueKind switch
        {
            JsonValueKind.Number or JsonValueKind.String => element.ToString(),
            _ => string.Empty,
        };
        if (version.Length == 0)
        {
            reason = "the field 'version' must be a number or a string.";
            return false;
        }

        return true;
    }

    private static bool TryGetKind(JsonElement root, out WarningListKind kind, out string reason)
    {
        kind = WarningListKind.String;
        reason = string.Empty;

        // Upstream: a list without "type" is compared as strings.
        if (!root.TryGetProperty("type", out var element))
        {
            return true;
        }

        switch (element.ValueKind == JsonValueKind.String ? element.GetString() : null)
        {
            case "cidr": kind = WarningListKind.Cidr; return true;
            case "string": kind = WarningListKind.String; return true;
            case "substring": kind = WarningListKind.Substring; return true;
            case "hostname": kind = WarningListKind.Hostname; return true;
            case "regex": kind = WarningListKind.Regex; return true;
            default:
                reason = $"the field 'type' is {element.GetRawText()}; expected \"cidr\", \"string\", \"substring\", \"hostname\" or \"regex\".";
                return false;
        }
    }

    private static bool TryGetStrings(JsonElement root, string field, bool required, out IReadOnlyList<string> values, out string reason)
    {
        values = [];
        reason = string.Empty;
        if (!root.TryGetProperty(field, out var element))
        {
            reason = required ? $"the field '{field}' is missing." : string.Empty;
            return !required;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            reason = $"the field '{field}' must be an array of strings.";
            return false;
        }

        var list = new List<string>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                reason = $"'{field}[{index}]' is a {item.ValueKind.ToString().ToLowerInvariant()}, not a string.";
                return false;
            }

            list.Add(item.GetString()!);
            index++;
        }

        values = list;
        return true;
    }
}
