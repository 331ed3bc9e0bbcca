using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// What a type cell (or a header named after a type) may say: a Ribat type name, a MISP attribute type, a STIX
/// cyber-observable name, or the loose <c>ip</c> and <c>hash</c>.
/// </summary>
internal static class CsvTypeNames
{
    private static readonly Dictionary<string, TypePart> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ip"] = new(PartKind.Ip),
        ["ip-address"] = new(PartKind.Ip),
        ["ip_address"] = new(PartKind.Ip),
        ["ipaddress"] = new(PartKind.Ip),
        ["ipv4-addr"] = new(PartKind.Ip),
        ["ipv6-addr"] = new(PartKind.Ip),
        ["domain-name"] = TypePart.Of(ObservableType.Domain),
        ["email-addr"] = TypePart.Of(ObservableType.Email),
        ["autonomous-system"] = TypePart.Of(ObservableType.Asn),
        ["hash"] = new(PartKind.Digest),
        ["filehash"] = new(PartKind.Digest),
        ["file-hash"] = new(PartKind.Digest),
        ["file_hash"] = new(PartKind.Digest),
        ["auto"] = new(PartKind.Shape),
        ["any"] = new(PartKind.Shape),
    };

    public static bool TryParse(string cell, out TypePart[] parts)
    {
        var name = cell.Trim();
        if (ObservableTypeNames.TryParse(name, out var type))
        {
            parts = [TypePart.Of(type)];
            return true;
        }

        if (MispTypes.TryGetParts(name, out parts))
        {
            return true;
        }

        if (Aliases.TryGetValue(name, out var alias))
        {
            parts = [alias];
            return true;
        }

        parts = [];
        return false;
    }

    public static string Unknown(string cell) =>
        $"unknown type '{IssueText.Excerpt(cell.Trim(), 40)}': use a Ribat type (ipv4, domain, sha256, file-name...), a MISP type (ip-dst, filename|md5...), ip or hash.";
}

/// <summary>Guesses a mapping from header names, so a user interface can pre-fill its mapping step.</summary>
internal static class CsvHeaderGuess
{
    private static readonly string[] Value = ["value", "indicator", "ioc", "observable", "iocvalue", "indicatorvalue", "observablevalue", "attributevalue", "artifact", "artefact", "data"];
    private static readonly string[] Type = ["type", "ioctype", "indicatortype", "observabletype", "attributetype", "valuetype", "kind"];
    private static readonly string[] Comment = ["comment", "comments", "description", "desc", "note", "notes", "context", "details"];
    private static readonly string[] Tags = ["tags", "tag", "attributetag", "attributetags", "labels", "label"];
    private static readonly string[] Confidence = ["confidence", "confidencescore", "certainty", "score"];
    private static readonly string[] FirstSeen = ["firstseen", "firstobserved", "first", "validfrom", "firstdate"];
    private static readonly string[] LastSeen = ["lastseen", "lastobserved", "last", "validuntil", "lastdate"];
    private static readonly string[] Tlp = ["tlp", "tlplevel", "tlpmarking", "marking"];
    private static readonly string[] Category = ["category", "attributecategory"];
    private static readonly string[] ForDetection = ["toids", "fordetection", "ids", "detection"];

    public static CsvColumnMapping? Suggest(IReadOnlyList<string> header)
    {
        var keys = header.Select(Key).ToArray();
        var value = Find(header, keys, Value);
        ObservableType? fixedType = null;
        if (value is null)
        {
            // A single-purpose file names its column after the type: "ip", "domain", "sha256".
            for (var i = 0; i < header.Count && value is null; i++)
            {
                if (CsvTypeNames.TryParse(header[i], out var parts) && parts.Length == 1)
                {
                    value = header[i];
                    fixedType = parts[0].Kind == PartKind.Observable ? parts[0].Type : null;
                }
            }
        }

        return value is null ? null : new CsvColumnMapping
        {
            ValueColumn = value,
            TypeColumn = Find(header, keys, Type),
            FixedType = fixedType,
            CommentColumn = Find(header, keys, Comment),
            TagsColumn = Find(header, keys, Tags),
            ConfidenceColumn = Find(header, keys, Confidence),
            FirstSeenColumn = Find(header, keys, FirstSeen),
            LastSeenColumn = Find(header, keys, LastSeen),
            TlpColumn = Find(header, keys, Tlp),
            CategoryColumn = Find(header, keys, Category),
            ForDetectionColumn = Find(header, keys, ForDetection),
        };
    }

    /// <summary>Lower case, letters and digits only: "First Seen", "first_seen" and "first-seen" are one key.</summary>
    private static string Key(string name) => string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    private static string? Find(IReadOnlyList<string> header, string[] keys, string[] wanted)
    {
        foreach (var name in wanted)
        {
            var at = Array.IndexOf(keys, name);
            if (at >= 0)
            {
                return header[at];
            }
        }

        return null;
    }
}
