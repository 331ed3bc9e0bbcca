using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Ribat.Core.Tenancy;

namespace Ribat.Web.Localisation;

/// <summary>
/// The UI's string tables, one JSON file per language embedded in the assembly. Lookups follow the
/// current UI culture, which the request (and so the Blazor circuit) gets from the user's preference.
/// </summary>
public sealed class UiText
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _tables;

    public UiText()
    {
        _tables = Languages.All.ToFrozenDictionary(l => l, Load, StringComparer.Ordinal);
    }

    /// <summary>The strings of one language, for the completeness test.</summary>
    public IReadOnlyDictionary<string, string> Table(string language) => _tables[language];

    /// <summary>A missing key shows as itself, so a gap is visible on screen rather than blank.</summary>
    public string this[string key] =>
        Current.TryGetValue(key, out var value) || _tables[Languages.English].TryGetValue(key, out value) ? value : key;

    public string Format(string key, params object?[] args) => string.Format(CultureInfo.CurrentCulture, this[key], args);

    private FrozenDictionary<string, string> Current =>
        _tables.TryGetValue(LanguageOf(CultureInfo.CurrentUICulture), out var table) ? table : _tables[Languages.English];

    public static string LanguageOf(CultureInfo culture) => culture.TwoLetterISOLanguageName;

    private static FrozenDictionary<string, string> Load(string language)
    {
        var name = $"Ribat.Web.Localisation.strings.{language}.json";
        using var stream = typeof(UiText).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The string table {name} is not embedded.");
        var entries = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
            ?? throw new InvalidOperationException($"The string table {name} is empty.");
        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
