using System.Text.Json.Nodes;

namespace Ribat.Stix.Model;

public sealed class Relationship() : StixRelationshipObject("relationship")
{
    public string? RelationshipType { get; set; }

    public string? Description { get; set; }

    public string? SourceRef { get; set; }

    public string? TargetRef { get; set; }

    public StixTimestamp? StartTime { get; set; }

    public StixTimestamp? StopTime { get; set; }
}

public sealed class Sighting() : StixRelationshipObject("sighting")
{
    public string? Description { get; set; }

    public StixTimestamp? FirstSeen { get; set; }

    public StixTimestamp? LastSeen { get; set; }

    public long? Count { get; set; }

    public string? SightingOfRef { get; set; }

    public List<string>? ObservedDataRefs { get; set; }

    public List<string>? WhereSightedRefs { get; set; }

    public bool? Summary { get; set; }
}

/// <summary>A marking definition: TLP 1.0 and statement markings in <see cref="Definition"/>, TLP 2.0 through its extension.</summary>
public sealed class MarkingDefinition() : StixObject("marking-definition")
{
    public string? CreatedByRef { get; set; }

    public StixTimestamp? Created { get; set; }

    public List<ExternalReference>? ExternalReferences { get; set; }

    public string? Name { get; set; }

    public string? DefinitionType { get; set; }

    public MarkingDefinitionBody? Definition { get; set; }

    /// <summary>A new statement marking (a copyright or terms-of-use notice), with a random id.</summary>
    public static MarkingDefinition Statement(string statement, StixTimestamp created, string? createdByRef = null) => new()
    {
        SpecVersion = StixVersion.Current,
        Id = $"marking-definition--{Guid.NewGuid():D}",
        Created = created,
        CreatedByRef = createdByRef,
        DefinitionType = "statement",
        Definition = new MarkingDefinitionBody { Statement = statement },
    };
}

/// <summary>The <c>definition</c> of a marking: <c>{"tlp": "green"}</c> or <c>{"statement": "…"}</c>.</summary>
public sealed class MarkingDefinitionBody : StixExtensible
{
    public string? Tlp { get; set; }

    public string? Statement { get; set; }
}

public sealed class ExtensionDefinition() : StixCoreObject("extension-definition")
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? Schema { get; set; }

    public string? Version { get; set; }

    public List<string>? ExtensionTypes { get; set; }

    public List<string>? ExtensionProperties { get; set; }
}

public sealed class LanguageContent() : StixCoreObject("language-content")
{
    public string? ObjectRef { get; set; }

    public StixTimestamp? ObjectModified { get; set; }

    /// <summary>Language tag → property name → translation (a string, a list, or nested objects).</summary>
    public JsonObject? Contents { get; set; }
}

/// <summary>A bundle: a wrapper of objects with no meaning of its own.</summary>
public sealed class StixBundle : StixExtensible
{
    public string Type { get; set; } = "bundle";

    public string Id { get; set; } = string.Empty;

    public List<StixObject>? Objects { get; set; }
}

/// <summary>The standard marking definitions' ids.</summary>
public static class TlpMarkings
{
    /// <summary>TLP 2.0 markings (OASIS extension <c>extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d</c>).</summary>
    public const string Clear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    public const string Green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    public const string Amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    public const string AmberStrict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    public const string Red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    public const string Tlp2ExtensionDefinition = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    /// <summary>TLP 1.0 markings, predefined by STIX 2.1 section 7.2.1.4.</summary>
    public const string V1White = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
    public const string V1Green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    public const string V1Amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    public const string V1Red = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

    /// <summary>Every predefined id: a reference to one resolves even when the bundle does not carry it.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Clear, Green, Amber, AmberStrict, Red, V1White, V1Green, V1Amber, V1Red,
    };

    /// <summary>The TLP 1.0 level (<c>white</c>, <c>green</c>, <c>amber</c>, <c>red</c>) a predefined id stands for.</summary>
    public static IReadOnlyDictionary<string, string> V1Levels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [V1White] = "white",
        [V1Green] = "green",
        [V1Amber] = "amber",
        [V1Red] = "red",
    };

    /// <summary>The TLP 2.0 level (<c>clear</c>, <c>green</c>, <c>amber</c>, <c>amber+strict</c>, <c>red</c>) a predefined id stands for.</summary>
    public static IReadOnlyDictionary<string, string> V2Levels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Clear] = "clear",
        [Green] = "green",
        [Amber] = "amber",
        [AmberStrict] = "amber+strict",
        [Red] = "red",
    };
}
