using System.Collections.Frozen;
using System.Text.Json.Serialization.Metadata;
using Ribat.Stix.Model;

namespace Ribat.Stix.Serialization;

/// <summary>What part of STIX a type belongs to.</summary>
public enum StixObjectKind
{
    Domain,
    Relationship,
    Observable,
    Marking,
    ExtensionDefinition,
    LanguageContent,
    Custom,
}

/// <summary>The modelled types: their names, kinds and serialization metadata.</summary>
public static class StixTypes
{
    private static readonly FrozenDictionary<string, (StixObjectKind Kind, JsonTypeInfo Info)> ByName = Build();

    /// <summary>Every SCO type of STIX 2.1.</summary>
    public static IReadOnlyList<string> ObservableTypes { get; } =
        [.. ByName.Where(p => p.Value.Kind == StixObjectKind.Observable).Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>Every SDO type of STIX 2.1.</summary>
    public static IReadOnlyList<string> DomainTypes { get; } =
        [.. ByName.Where(p => p.Value.Kind == StixObjectKind.Domain).Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>Whether STIX 2.1 defines <paramref name="type"/> (as opposed to a custom object type).</summary>
    public static bool IsDefined(string type) => ByName.ContainsKey(type);

    /// <summary>The kind of a type; anything STIX does not define is <see cref="StixObjectKind.Custom"/>.</summary>
    public static StixObjectKind KindOf(string type) => ByName.TryGetValue(type, out var entry) ? entry.Kind : StixObjectKind.Custom;

    internal static JsonTypeInfo TypeInfoFor(string type) =>
        ByName.TryGetValue(type, out var entry) ? entry.Info : StixJsonContext.Default.CustomStixObject;

    internal static JsonTypeInfo TypeInfoFor(StixObject value) =>
        ByType.TryGetValue(value.GetType(), out var info) ? info
            : StixJsonContext.Default.GetTypeInfo(value.GetType()) ?? throw new NotSupportedException($"{value.GetType()} is not a modelled STIX type.");

    /// <summary>The metadata of each modelled type by its class, read without the context's own look-up, which costs on every object written.</summary>
    private static readonly FrozenDictionary<Type, JsonTypeInfo> ByType = ByName.Values.Select(v => v.Info).DistinctBy(i => i.Type).ToFrozenDictionary(i => i.Type);

    private static FrozenDictionary<string, (StixObjectKind, JsonTypeInfo)> Build()
    {
        var c = StixJsonContext.Default;
        var d = StixObjectKind.Domain;
        var o = StixObjectKind.Observable;
        var r = StixObjectKind.Relationship;
        var table = new Dictionary<string, (StixObjectKind, JsonTypeInfo)>(StringComparer.Ordinal)
        {
            ["attack-pattern"] = (d, c.AttackPattern),
            ["campaign"] = (d, c.Campaign),
            ["course-of-action"] = (d, c.CourseOfAction),
            ["grouping"] = (d, c.Grouping),
            ["identity"] = (d, c.Identity),
            ["incident"] = (d, c.Incident),
            ["indicator"] = (d, c.Indicator),
            ["infrastructure"] = (d, c.Infrastructure),
            ["intrusion-set"] = (d, c.IntrusionSet),
            ["location"] = (d, c.Location),
            ["malware"] = (d, c.Malware),
            ["malware-analysis"] = (d, c.MalwareAnalysis),
            ["note"] = (d, c.Note),
            ["observed-data"] = (d, c.ObservedData),
            ["opinion"] = (d, c.Opinion),
            ["report"] = (d, c.Report),
            ["threat-actor"] = (d, c.ThreatActor),
            ["tool"] = (d, c.Tool),
            ["vulnerability"] = (d, c.Vulnerability),
            ["relationship"] = (r, c.Relationship),
            ["sighting"] = (r, c.Sighting),
            ["marking-definition"] = (StixObjectKind.Marking, c.MarkingDefinition),
            ["extension-definition"] = (StixObjectKind.ExtensionDefinition, c.ExtensionDefinition),
            ["language-content"] = (StixObjectKind.LanguageContent, c.LanguageContent),
            ["artifact"] = (o, c.Artifact),
            ["autonomous-system"] = (o, c.AutonomousSystem),
            ["directory"] = (o, c.StixDirectory),
            ["domain-name"] = (o, c.DomainName),
            ["email-addr"] = (o, c.EmailAddress),
            ["email-message"] = (o, c.EmailMessage),
            ["file"] = (o, c.StixFile),
            ["ipv4-addr"] = (o, c.IPv4Address),
            ["ipv6-addr"] = (o, c.IPv6Address),
            ["mac-addr"] = (o, c.MacAddress),
            ["mutex"] = (o, c.StixMutex),
            ["network-traffic"] = (o, c.NetworkTraffic),
            ["process"] = (o, c.StixProcess),
            ["software"] = (o, c.Software),
            ["url"] = (o, c.Url),
            ["user-account"] = (o, c.UserAccount),
            ["windows-registry-key"] = (o, c.WindowsRegistryKey),
            ["x509-certificate"] = (o, c.X509Certificate),
        };
        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
