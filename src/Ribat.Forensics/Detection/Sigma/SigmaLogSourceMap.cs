using System.Text.Json;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Detection;

/// <summary>
/// Where events of one log source are found: a log format, and for EVTX a channel (null: any) and event ids (empty:
/// any). <see cref="Renames"/> maps a Sigma field name to the name this log gives it (Security 4688 calls Sigma's
/// <c>Image</c> <c>NewProcessName</c>).
/// </summary>
public sealed record SigmaLogTarget(LogFormat Format, string? Channel, IReadOnlyList<int> EventIds, IReadOnlyDictionary<string, string>? Renames);

/// <summary>
/// The map from Sigma log sources to the logs Ribat reads, kept as data (<c>logsources.json</c>, embedded). An entry
/// serves a rule when every part the rule names (product, category, service) is the entry's: a rule naming only
/// <c>product: windows</c> is served by every Windows entry, and one naming a category no entry has by none.
/// </summary>
public sealed class SigmaLogSourceMap
{
    private readonly List<(SigmaLogSource Source, SigmaLogTarget[] Targets)> _entries;

    private SigmaLogSourceMap(List<(SigmaLogSource, SigmaLogTarget[])> entries) => _entries = entries;

    public int Count => _entries.Count;

    /// <summary>The map shipped with Ribat.</summary>
    public static SigmaLogSourceMap BuiltIn { get; } = LoadBuiltIn();

    public static SigmaLogSourceMap Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var entries = new List<(SigmaLogSource, SigmaLogTarget[])>();
        foreach (var entry in document.RootElement.GetProperty("sources").EnumerateArray())
        {
            var source = new SigmaLogSource(Text(entry, "product"), Text(entry, "category"), Text(entry, "service"));
            if (source.Product is null && source.Category is null && source.Service is null)
            {
                throw new FormatException("a log source entry names none of product, category, service.");
            }

            var targets = new List<SigmaLogTarget>();
            foreach (var target in entry.GetProperty("targets").EnumerateArray())
            {
                targets.Add(ReadTarget(target));
            }

            if (targets.Count == 0)
            {
                throw new FormatException($"the log source entry {source} has no target.");
            }

            entries.Add((source, targets.ToArray()));
        }

        return new SigmaLogSourceMap(entries);
    }

    private static SigmaLogTarget ReadTarget(JsonElement target)
    {
        var formatName = target.GetProperty("format").GetString();
        if (!Enum.TryParse<LogFormat>(formatName, ignoreCase: false, out var format) || format == LogFormat.Unknown)
        {
            throw new FormatException($"unknown log format '{formatName}'.");
        }

        var channel = Text(target, "channel");
        if (channel is not null && format != LogFormat.Evtx)
        {
            throw new FormatException($"a channel is only meaningful for EVTX, not {format}.");
        }

        var ids = new List<int>();
        if (target.TryGetProperty("eventIds", out var eventIds))
        {
            foreach (var id in eventIds.EnumerateArray())
            {
                ids.Add(id.GetInt32());
            }
        }

        Dictionary<string, string>? renames = null;
        if (target.TryGetProperty("renames", out var map))
        {
            renames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var rename in map.EnumerateObject())
            {
                renames.Add(rename.Name, rename.Value.GetString() ?? throw new FormatException($"rename of '{rename.Name}' is null."));
            }
        }

        return new SigmaLogTarget(format, channel, ids, renames);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static SigmaLogSourceMap LoadBuiltIn()
    {
        using var stream = typeof(SigmaLogSourceMap).Assembly.GetManifestResourceStream("Ribat.Forensics.Detection.Sigma.logsources.json")
            ?? throw new InvalidOperationException("the embedded Sigma log source map is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>Every target of every entry serving <paramref name="source"/>; empty when none does.</summary>
    public IReadOnlyList<SigmaLogTarget> TargetsFor(SigmaLogSource source)
    {
        var targets = new List<SigmaLogTarget>();
        foreach (var (entry, entryTargets) in _entries)
        {
            if (Serves(entry.Product, source.Product) && Serves(entry.Category, source.Category) && Serves(entry.Service, source.Service))
            {
                foreach (var target in entryTargets)
                {
                    if (!targets.Contains(target))
                    {
                        targets.Add(target);
                    }
                }
            }
        }

        return targets;
    }

    private static bool Serves(string? entry, string? rule) =>
        rule is null || string.Equals(entry, rule, StringComparison.OrdinalIgnoreCase);
}
