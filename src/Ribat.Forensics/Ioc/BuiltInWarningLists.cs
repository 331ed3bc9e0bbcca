namespace Ribat.Forensics.Ioc;

/// <summary>
/// Loads the lists embedded from <c>Ioc/BuiltIn/*.json</c>. They are data, in the MISP format, so an operator can
/// read and diff them; a test proves each one parses and indexes without problems.
/// </summary>
internal static class BuiltInWarningLists
{
    private const string Prefix = "Ribat.Forensics.Ioc.BuiltIn.";

    private static readonly Lazy<IReadOnlyList<WarningList>> Lists = new(Load);

    public static IReadOnlyList<WarningList> All => Lists.Value;

    internal static IEnumerable<string> ResourceNames() =>
        typeof(BuiltInWarningLists).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order();

    private static IReadOnlyList<WarningList> Load()
    {
        var lists = new List<WarningList>();
        foreach (var name in ResourceNames())
        {
            using var stream = typeof(BuiltInWarningLists).Assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            if (!WarningList.TryParse(memory.ToArray(), out var list, out var reason))
            {
                // Shipped data that does not parse is a build defect, not an expected failure.
                throw new InvalidOperationException($"Built-in warning list {name} is malformed: {reason}");
            }

            lists.Add(list!);
        }

        return lists;
    }
}
