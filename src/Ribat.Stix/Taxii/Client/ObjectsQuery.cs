using Ribat.Stix.Model;

namespace Ribat.Stix.Taxii.Client;

/// <summary>
/// The filters and paging parameters of the objects, manifest, object and versions endpoints (TAXII 2.1 §3.4–3.5):
/// <c>added_after</c>, <c>limit</c>, <c>next</c> and <c>match[id|type|version|spec_version]</c>. Several values of
/// one match field are sent comma-separated, which the specification reads as "any of".
/// </summary>
public sealed record ObjectsQuery
{
    public StixTimestamp? AddedAfter { get; init; }

    public int? Limit { get; init; }

    public string? Next { get; init; }

    public IReadOnlyList<string>? Ids { get; init; }

    public IReadOnlyList<string>? Types { get; init; }

    /// <summary><c>first</c>, <c>last</c>, <c>all</c> or timestamps.</summary>
    public IReadOnlyList<string>? Versions { get; init; }

    public IReadOnlyList<string>? SpecVersions { get; init; }

    internal string ToQueryString()
    {
        var parts = new List<string>();
        if (AddedAfter is { } after)
        {
            parts.Add($"added_after={Uri.EscapeDataString(after.ToString())}");
        }

        if (Limit is { } limit)
        {
            parts.Add($"limit={limit}");
        }

        if (!string.IsNullOrEmpty(Next))
        {
            parts.Add($"next={Uri.EscapeDataString(Next)}");
        }

        Add(parts, "id", Ids);
        Add(parts, "type", Types);
        Add(parts, "version", Versions);
        Add(parts, "spec_version", SpecVersions);
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private static void Add(List<string> parts, string field, IReadOnlyList<string>? values)
    {
        if (values is { Count: > 0 })
        {
            parts.Add($"match[{field}]={string.Join(',', values.Select(Uri.EscapeDataString))}");
        }
    }
}
