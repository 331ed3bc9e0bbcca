using System.Text.Json;

namespace Ribat.Core.Incidents;

/// <summary>One class of the ENISA reference taxonomy and its incident types.</summary>
public sealed record TaxonomyClass(string Value, string Name, IReadOnlyList<TaxonomyType> Types);

public sealed record TaxonomyType(string Value, string Name);

/// <summary>
/// The ENISA Reference Security Incident Classification Taxonomy (RSIT), shipped as data (<c>taxonomy.json</c>,
/// checked by a test). A category is spelled <c>class:type</c>, e.g. <c>malicious-code:infected-system</c>, as
/// the taxonomy's machine tags spell it.
/// </summary>
public static class IncidentTaxonomy
{
    private static readonly Lazy<IReadOnlyList<TaxonomyClass>> Loaded = new(Load);

    public static IReadOnlyList<TaxonomyClass> Classes => Loaded.Value;

    public static IEnumerable<string> Categories => Classes.SelectMany(c => c.Types.Select(t => $"{c.Value}:{t.Value}"));

    public static bool TryParse(string? text, out string category)
    {
        var wanted = text?.Trim().ToLowerInvariant() ?? string.Empty;
        category = Categories.FirstOrDefault(c => c == wanted) ?? string.Empty;
        return category.Length > 0;
    }

    public static string NameOf(string category)
    {
        var parts = category.Split(':', 2);
        var cls = Classes.FirstOrDefault(c => c.Value == parts[0]);
        var type = cls?.Types.FirstOrDefault(t => parts.Length == 2 && t.Value == parts[1]);
        return cls is null || type is null ? category : $"{cls.Name} / {type.Name}";
    }

    internal static IReadOnlyList<TaxonomyClass> Parse(Stream stream)
    {
        var document = JsonSerializer.Deserialize<TaxonomyDocument>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidDataException("The incident taxonomy is empty.");
        return document.Classes;
    }

    private static IReadOnlyList<TaxonomyClass> Load()
    {
        using var stream = typeof(IncidentTaxonomy).Assembly.GetManifestResourceStream("Ribat.Core.Incidents.taxonomy.json")
            ?? throw new InvalidOperationException("The incident taxonomy is missing from the assembly.");
        return Parse(stream);
    }

    private sealed record TaxonomyDocument(string Name, string Namespace, string Version, IReadOnlyList<TaxonomyClass> Classes);
}
