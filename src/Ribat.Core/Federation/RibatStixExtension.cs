using System.Text.Json;
using Ribat.Core.Sharing;
using Ribat.Stix.Model;

namespace Ribat.Core.Federation;

/// <summary>
/// Ribat's STIX <c>extension-definition</c>: a property extension that carries the sharing terms STIX has no words
/// for (PAP, distribution, handling codes H0–H3 and their conditions, the 4×4 evaluation, the owner). TLP travels as
/// the standard TLP 2.0 marking. The layout is ADR 0011.
/// </summary>
public static class RibatStixExtension
{
    public const string Id = "extension-definition--5f3c8a9e-1d2b-4c6e-8a7f-0b9d3e2c4a61";
    public const string IdentityId = "identity--8e4b2f1a-6c3d-4e5f-9a0b-7d1c2e3f4a5b";
    public const string Version = "1.0.0";

    private static readonly StixTimestamp Published = StixTimestamp.Parse("2026-11-23T00:00:00.000Z");

    /// <summary>The extension definition, as written into every bundle whose objects use it.</summary>
    public static ExtensionDefinition Definition() => new()
    {
        SpecVersion = StixVersion.Current,
        Id = Id,
        CreatedByRef = IdentityId,
        Created = Published,
        Modified = Published,
        Name = "Ribat sharing terms",
        Description = "Law-enforcement sharing terms of a Ribat object beyond its TLP marking: PAP, distribution, handling codes H0-H3 with their conditions, the 4x4 evaluation and the owning organisation.",
        Schema = "https://ribat.example/stix/sharing-terms/1.0.0 (docs/decisions/0011-stix-sharing-terms-extension.md)",
        Version = Version,
        ExtensionTypes = ["property-extension"],
    };

    /// <summary>The identity that defines the extension.</summary>
    public static Identity Author() => new()
    {
        SpecVersion = StixVersion.Current,
        Id = IdentityId,
        Created = Published,
        Modified = Published,
        Name = "Ribat",
        IdentityClass = "system",
    };

    /// <summary>The last terms written and their extension, per thread: a recorded batch applies one set of terms to every row.</summary>
    [ThreadStatic]
    private static (SharingTerms Terms, JsonElement Body)? _lastWritten;

    /// <summary>Puts <paramref name="terms"/> on <paramref name="target"/>: the TLP marking and the extension.</summary>
    public static void Apply(StixObject target, SharingTerms terms)
    {
        target.ObjectMarkingRefs = [terms.Tlp.StixMarkingId()];
        if (_lastWritten is not { } last || !ReferenceEquals(last.Terms, terms))
        {
            last = (terms, Body(terms));
            _lastWritten = last;
        }

        target.Extensions ??= new StixExtensions();
        (target.Extensions.Custom ??= [])[Id] = last.Body;
    }

    /// <summary>Puts <paramref name="terms"/> on a custom object built as JSON: the TLP marking and the extension.</summary>
    public static void Apply(System.Text.Json.Nodes.JsonObject target, SharingTerms terms)
    {
        target["object_marking_refs"] = new System.Text.Json.Nodes.JsonArray(terms.Tlp.StixMarkingId());
        if (target["extensions"] is not System.Text.Json.Nodes.JsonObject extensions)
        {
            extensions = [];
            target["extensions"] = extensions;
        }

        extensions[Id] = System.Text.Json.Nodes.JsonNode.Parse(Body(terms).GetRawText());
    }

    /// <summary>
    /// <paramref name="json"/> with the extension's <c>recipients</c> set to <paramref name="recipients"/>: named
    /// recipients travel only to the node that hosts them, and only those it hosts, so a recipient never learns who
    /// else was addressed. Stored versions carry none.
    /// </summary>
    public static string WithRecipients(string json, IEnumerable<OrganisationRef> recipients)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        if (node["extensions"]?[Id] is not System.Text.Json.Nodes.JsonObject ours)
        {
            return json;
        }

        ours["recipients"] = new System.Text.Json.Nodes.JsonArray(recipients.OrderBy(r => r.Id)
            .Select(r => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["organisation"] = r.Id.ToString(), ["node"] = r.Node.ToString() })
            .ToArray());
        return node.ToJsonString();
    }

    /// <summary>The extension's body for <paramref name="terms"/>; a JSON element is read-only, so objects may share one.</summary>
    private static JsonElement Body(SharingTerms terms)
    {
        var body = new Dictionary<string, object?>
        {
            ["extension_type"] = "property-extension",
            ["pap"] = terms.Pap.Spell(),
            ["distribution"] = terms.Distribution.Kind switch
            {
                DistributionKind.Community => "community",
                DistributionKind.ConnectedCommunities => "connected-communities",
                DistributionKind.SharingGroup => "sharing-group",
                _ => "organisation-only",
            },
        };
        if (terms.Distribution.SharingGroupId is { } group)
        {
            body["sharing_group"] = group.ToString();
        }

        var codes = HandlingCodeSpelling.Spell(terms.Handling);
        if (codes.Length > 0)
        {
            body["handling"] = codes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }

        if (terms.HandlingConditions is { } conditions)
        {
            body["handling_conditions"] = conditions;
        }

        if (terms.Evaluation is { } evaluation)
        {
            body["evaluation"] = evaluation.Spell();
        }

        body["owner_organisation"] = terms.Owner.Id.ToString();
        body["owner_node"] = terms.Owner.Node.ToString();
        return JsonSerializer.SerializeToElement(body, ExtensionJson.Default.DictionaryStringObject);
    }

    /// <summary>
    /// The strictest of <paramref name="requested"/> and what the object itself says: its TLP marking (2.0 or 1.0) and,
    /// when it carries this extension, its PAP and handling codes. An import never loosens what the object was marked.
    /// </summary>
    public static SharingTerms Tighten(JsonElement element, SharingTerms requested)
    {
        var terms = requested;
        if (element.TryGetProperty("object_marking_refs", out var markings) && markings.ValueKind == JsonValueKind.Array)
        {
            foreach (var marking in markings.EnumerateArray())
            {
                if (marking.ValueKind == JsonValueKind.String && Tlps.TryParseStixMarkingId(marking.GetString(), out var tlp) && tlp > terms.Tlp)
                {
                    terms = terms with { Tlp = tlp };
                }
            }
        }

        if (element.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object
            && extensions.TryGetProperty(Id, out var ours) && ours.ValueKind == JsonValueKind.Object)
        {
            if (ours.TryGetProperty("pap", out var pap) && pap.ValueKind == JsonValueKind.String && Paps.TryParse(pap.GetString(), out var papLevel) && papLevel > terms.Pap)
            {
                terms = terms with { Pap = papLevel };
            }

            if (ours.TryGetProperty("handling", out var handling) && handling.ValueKind == JsonValueKind.Array)
            {
                var codes = string.Join(",", handling.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()));
                if (HandlingCodeSpelling.TryParse(codes, out var parsed))
                {
                    // H3 needs its conditions; without them it cannot be honoured, so H2 (ask before passing on) stands in.
                    var conditions = ours.TryGetProperty("handling_conditions", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
                    if (parsed.HasFlag(HandlingCodes.H3) && string.IsNullOrWhiteSpace(conditions) && terms.HandlingConditions is null)
                    {
                        parsed = (parsed & ~HandlingCodes.H3) | HandlingCodes.H2;
                    }

                    terms = terms with
                    {
                        Handling = terms.Handling | parsed,
                        HandlingConditions = (terms.Handling | parsed).HasFlag(HandlingCodes.H3) ? terms.HandlingConditions ?? conditions?.Trim() : null,
                    };
                }
            }

            if (terms.Evaluation is null && ours.TryGetProperty("evaluation", out var evaluation) && evaluation.ValueKind == JsonValueKind.String
                && Evaluation.TryParse(evaluation.GetString(), out var parsedEvaluation))
            {
                terms = terms with { Evaluation = parsedEvaluation };
            }
        }

        return terms;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object?>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(bool))]
internal sealed partial class ExtensionJson : System.Text.Json.Serialization.JsonSerializerContext;
