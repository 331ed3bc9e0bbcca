using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>A JSON location written the way a person reads it: <c>response[1].Event.Object[2].Attribute[0].value</c>.</summary>
internal readonly record struct JsonWhere(string Base, string? Array = null, int Index = -1, string? Field = null)
{
    public JsonWhere With(string field) => this with { Field = field };

    public static string Join(string left, string right) => left.Length == 0 ? right : left + "." + right;

    public override string ToString()
    {
        var text = Array is null ? Base : Join(Base, $"{Array}[{Index}]");
        return Field is null ? text : Join(text, Field);
    }
}

/// <summary>One attribute as read, before it is mapped (its fields may come in any order).</summary>
internal sealed class MispRawAttribute
{
    public required JsonWhere Where { get; init; }

    public int Line { get; init; }

    public int ValueLine { get; set; }

    public string? Type { get; set; }

    public string? Value { get; set; }

    public bool ValueRejected { get; set; }

    public string? Category { get; set; }

    public string? Comment { get; set; }

    public string? Uuid { get; set; }

    public string? Relation { get; set; }

    public string? FirstSeen { get; set; }

    public string? LastSeen { get; set; }

    public bool ToIds { get; set; }

    public bool Deleted { get; set; }

    public List<string> Tags { get; } = [];
}

/// <summary>A MISP object being read: its attributes are mapped once the whole object is known.</summary>
internal sealed class MispObjectScope
{
    public required string Path { get; init; }

    public int Line { get; init; }

    public string? Name { get; set; }

    public string? Uuid { get; set; }

    public string? Comment { get; set; }

    public string? FirstSeen { get; set; }

    public string? LastSeen { get; set; }

    public bool Deleted { get; set; }

    public List<MispRawAttribute> Attributes { get; } = [];

    /// <summary>The value of the first text attribute with this relation (<c>symbol</c>, <c>ja4-type</c>, <c>account-type</c>).</summary>
    public string? Context(string relation)
    {
        foreach (var attribute in Attributes)
        {
            if (string.Equals(attribute.Relation, relation, StringComparison.OrdinalIgnoreCase))
            {
                return attribute.Value?.Trim();
            }
        }

        return null;
    }
}

/// <summary>An event being read.</summary>
internal sealed class MispEventBuilder(string path)
{
    public string Path { get; } = path;

    public bool HasEventFields { get; set; }

    public int AttributeCount { get; set; }

    public int Line { get; set; }

    public string? Title { get; set; }

    public DateOnly? Date { get; set; }

    public string? Uuid { get; set; }

    public string? Organisation { get; set; }

    public int? ThreatLevel { get; set; }

    public int? Analysis { get; set; }

    public List<string> Tags { get; } = [];

    public GalaxyDigest Galaxies { get; } = new();

    public List<ExchangeIndicator> Indicators { get; } = [];

    public JsonWhere At(string field) => new(Path, Field: field);

    public ExchangeReport Build(IssueList issues)
    {
        var markings = new MarkingPicker();
        var tags = new List<string>(Tags.Count);
        foreach (var tag in Tags)
        {
            Galaxies.OfferTag(tag);
            if (!markings.Offer(tag) && !tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }

        if (markings.Conflict is { } conflict)
        {
            issues.Add(Line, At("Tag").ToString(), conflict);
        }

        return new ExchangeReport
        {
            Title = Title ?? string.Empty,
            Date = Date,
            SourceId = Uuid,
            Organisation = Organisation,
            Tags = tags,
            Tlp = markings.Tlp,
            Pap = markings.Pap,
            ThreatActor = Galaxies.ThreatActor,
            MalwareFamily = Galaxies.MalwareFamily,
            AttackTechniques = [.. Galaxies.Techniques],
            ThreatLevel = ThreatLevel,
            Analysis = Analysis,
            Indicators = Indicators,
        };
    }
}

internal static class ObservableTypeExtensions
{
    public static bool IsIp(this ObservableType type) => type is ObservableType.IPv4 or ObservableType.IPv6 or ObservableType.Cidr;

    public static bool IsHost(this ObservableType type) => type is ObservableType.Domain or ObservableType.Hostname;
}
