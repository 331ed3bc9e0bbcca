using System.Globalization;
using System.Text.Json.Nodes;
using Ribat.Core.Cases;
using Ribat.Core.Evidence;

namespace Ribat.Core.Prosecution;

/// <summary>
/// The package's CASE/UCO (CASE 1.x) JSON-LD: the case as a <c>case-investigation:Investigation</c>, each evidence
/// file as a <c>uco-observable:File</c> with its hashes (<c>uco-types:Hash</c>) and package path, a
/// <c>case-investigation:ProvenanceRecord</c> per exhibit, and each custody step as a <c>uco-action:Action</c> by
/// its <c>uco-identity:Identity</c>. Tools that read CASE take the evidence and its provenance from here; the
/// verifier holds its hashes equal to the manifest's.
/// </summary>
internal static class CaseUcoDocument
{
    public const string FileType = "uco-observable:File";
    public const string FileFacetType = "uco-observable:FileFacet";
    public const string ContentFacetType = "uco-observable:ContentDataFacet";

    public static JsonObject Build(CaseDto summary, List<EvidenceItem> items, ILookup<Guid, CustodyEntry> custody, IReadOnlyList<PackageFile> files)
    {
        var graph = new JsonArray();
        var provenance = new JsonArray();
        var people = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var file = $"kb:file-{item.Id:D}";
            var path = files.First(f => f.ItemId == item.Id && f.Role == PackageFormat.EvidenceRole).Path;
            graph.Add(File(file, item, path));
            foreach (var entry in custody[item.Id])
            {
                var id = $"kb:action-{item.Id:D}-{entry.Sequence}";
                graph.Add(Action(id, file, entry, Performer(people, entry)));
            }

            var record = $"kb:provenance-record-{item.Id:D}";
            provenance.Add(Ref(record));
            graph.Add(new JsonObject
            {
                ["@id"] = record,
                ["@type"] = "case-investigation:ProvenanceRecord",
                ["case-investigation:exhibitNumber"] = item.SealNumber ?? item.Id.ToString("D"),
                ["uco-core:description"] = item.Description ?? item.FileName,
                ["uco-core:object"] = new JsonArray(Ref(file)),
            });
        }

        foreach (var (id, name) in people)
        {
            graph.Add(new JsonObject { ["@id"] = id, ["@type"] = "uco-identity:Identity", ["uco-core:name"] = name });
        }

        graph.Insert(0, new JsonObject
        {
            ["@id"] = $"kb:investigation-{summary.Id:D}",
            ["@type"] = "case-investigation:Investigation",
            ["uco-core:name"] = summary.Title,
            ["uco-core:description"] = summary.Summary,
            ["case-investigation:focus"] = new JsonArray(summary.Offences.Concat(summary.NationalCategories).Select(o => (JsonNode?)o).ToArray()),
            ["case-investigation:investigationStatus"] = summary.Status,
            ["uco-core:object"] = provenance,
        });
        return new JsonObject
        {
            ["@context"] = new JsonObject
            {
                ["kb"] = "urn:ribat:",
                ["case-investigation"] = "https://ontology.caseontology.org/case/investigation/",
                ["uco-action"] = "https://ontology.unifiedcyberontology.org/uco/action/",
                ["uco-core"] = "https://ontology.unifiedcyberontology.org/uco/core/",
                ["uco-identity"] = "https://ontology.unifiedcyberontology.org/uco/identity/",
                ["uco-observable"] = "https://ontology.unifiedcyberontology.org/uco/observable/",
                ["uco-types"] = "https://ontology.unifiedcyberontology.org/uco/types/",
                ["uco-vocabulary"] = "https://ontology.unifiedcyberontology.org/uco/vocabulary/",
                ["xsd"] = "http://www.w3.org/2001/XMLSchema#",
            },
            ["@graph"] = graph,
        };
    }

    private static JsonObject File(string id, EvidenceItem item, string path) => new()
    {
        ["@id"] = id,
        ["@type"] = FileType,
        ["uco-core:hasFacet"] = new JsonArray(
            new JsonObject
            {
                ["@id"] = $"kb:file-facet-{item.Id:D}",
                ["@type"] = FileFacetType,
                ["uco-observable:fileName"] = item.FileName,
                ["uco-observable:filePath"] = path,
                ["uco-observable:sizeInBytes"] = Typed("xsd:integer", item.Size.ToString(CultureInfo.InvariantCulture)),
            },
            new JsonObject
            {
                ["@id"] = $"kb:content-data-facet-{item.Id:D}",
                ["@type"] = ContentFacetType,
                ["uco-observable:sizeInBytes"] = Typed("xsd:integer", item.Size.ToString(CultureInfo.InvariantCulture)),
                ["uco-observable:hash"] = new JsonArray(Hash(item.Id, "MD5", item.Md5), Hash(item.Id, "SHA1", item.Sha1), Hash(item.Id, "SHA256", item.Sha256)),
            }),
    };

    private static JsonObject Hash(Guid item, string method, string value) => new()
    {
        ["@id"] = $"kb:hash-{item:D}-{method.ToLowerInvariant()}",
        ["@type"] = "uco-types:Hash",
        ["uco-types:hashMethod"] = Typed("uco-vocabulary:HashNameVocab", method),
        ["uco-types:hashValue"] = Typed("xsd:hexBinary", value),
    };

    private static JsonObject Action(string id, string file, CustodyEntry entry, string performer)
    {
        var action = new JsonObject
        {
            ["@id"] = id,
            ["@type"] = "uco-action:Action",
            ["uco-core:name"] = entry.Action.Spell(),
            ["uco-action:startTime"] = Typed("xsd:dateTime", entry.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)),
            ["uco-action:performer"] = Ref(performer),
            [entry.Action == CustodyAction.Acquire ? "uco-action:result" : "uco-action:object"] = new JsonArray(Ref(file)),
        };
        var description = string.Join("; ", new[] { entry.SealNumber is { } seal ? $"seal {seal}" : null, entry.Notes }.Where(s => s is not null));
        if (description.Length > 0)
        {
            action["uco-core:description"] = description;
        }

        return action;
    }

    private static string Performer(Dictionary<string, string> people, CustodyEntry entry)
    {
        var id = entry.ActorUserId is { } user ? $"kb:identity-{user:D}" : $"kb:identity-{PackageFormat.SafeName(entry.ActorName)}";
        people.TryAdd(id, entry.ActorName);
        return id;
    }

    private static JsonObject Ref(string id) => new() { ["@id"] = id };

    private static JsonObject Typed(string type, string value) => new() { ["@type"] = type, ["@value"] = value };
}
