namespace Ribat.Web.Components.Shared;

/// <summary>Tags and technique ids typed as one comma-separated line.</summary>
public static class TagText
{
    public static List<string> Parse(string? text) =>
        (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    public static string Join(IEnumerable<string> tags) => string.Join(", ", tags);
}
