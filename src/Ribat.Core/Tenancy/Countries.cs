namespace Ribat.Core.Tenancy;

/// <summary>ISO 3166-1 alpha-2 country codes, read from the embedded list that a test checks.</summary>
public static class Countries
{
    private static readonly Lazy<HashSet<string>> Codes = new(Load);

    /// <summary>ISO 3166-1's user-assigned "unknown or unspecified" code, used until an operator sets the real one.</summary>
    public const string Unspecified = "ZZ";

    /// <summary>The officially assigned codes (without <see cref="Unspecified"/>).</summary>
    public static IReadOnlyCollection<string> All => Codes.Value;

    public static bool TryNormalise(string? text, out string code)
    {
        code = text?.Trim().ToUpperInvariant() ?? string.Empty;
        return code.Length == 2 && (Codes.Value.Contains(code) || code == Unspecified);
    }

    private static HashSet<string> Load()
    {
        using var stream = typeof(Countries).Assembly.GetManifestResourceStream("Ribat.Core.Tenancy.iso3166-1.txt")
            ?? throw new InvalidOperationException("The ISO 3166-1 list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            foreach (var code in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                codes.Add(code);
            }
        }

        return codes;
    }
}
