using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// Writes one report as a MISP event, <c>{"Event": {...}}</c>, that MISP imports and that <see cref="MispEventReader"/>
/// reads back to the same indicators, tags and markings. TLP and PAP go out as the MISP machine tags
/// (<c>tlp:amber</c>, <c>PAP:GREEN</c>); actor, family and techniques as galaxy tags unless the report's tags already
/// say so. The JSON is flushed as it grows, so a large event never sits whole in memory.
/// </summary>
public static class MispEventWriter
{
    private const int FlushThreshold = 64 * 1024;

    private static readonly JsonWriterOptions Indented = new() { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(ExchangeReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plan = MispEventPlan.For(report);
        using var json = new Utf8JsonWriter(output, Indented);
        WriteHead(json, report, plan);
        foreach (var attribute in plan.Attributes)
        {
            WriteAttribute(json, attribute);
            if (json.BytesPending > FlushThreshold)
            {
                json.Flush();
            }
        }

        WriteBetween(json);
        foreach (var planned in plan.Objects)
        {
            WriteObject(json, planned);
            if (json.BytesPending > FlushThreshold)
            {
                json.Flush();
            }
        }

        WriteTail(json);
        json.Flush();
    }

    /// <summary>Writes without blocking a thread (a response body, where synchronous writes are refused).</summary>
    public static async Task WriteAsync(ExchangeReport report, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plan = MispEventPlan.For(report);
        await using var json = new Utf8JsonWriter(output, Indented);
        WriteHead(json, report, plan);
        foreach (var attribute in plan.Attributes)
        {
            WriteAttribute(json, attribute);
            if (json.BytesPending > FlushThreshold)
            {
                await json.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        WriteBetween(json);
        foreach (var planned in plan.Objects)
        {
            WriteObject(json, planned);
            if (json.BytesPending > FlushThreshold)
            {
                await json.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        WriteTail(json);
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void WriteHead(Utf8JsonWriter json, ExchangeReport report, MispEventPlan plan)
    {
        json.WriteStartObject();
        json.WriteStartObject("Event");
        json.WriteString("uuid", plan.EventUuid);
        json.WriteString("info", report.Title);
        if (report.Date is { } date)
        {
            json.WriteString("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (report.ThreatLevel is { } threatLevel)
        {
            json.WriteString("threat_level_id", threatLevel.ToString(CultureInfo.InvariantCulture));
        }

        if (report.Analysis is { } analysis)
        {
            json.WriteString("analysis", analysis.ToString(CultureInfo.InvariantCulture));
        }

        if (report.Organisation is { } organisation)
        {
            json.WriteStartObject("Orgc");
            json.WriteString("name", organisation);
            json.WriteEndObject();
        }

        WriteTags(json, report.Tlp, report.Pap, [.. GalaxyTags(report), .. report.Tags]);
        json.WriteStartArray("Attribute");
    }

    private static void WriteBetween(Utf8JsonWriter json)
    {
        json.WriteEndArray();
        json.WriteStartArray("Object");
    }

    private static void WriteTail(Utf8JsonWriter json)
    {
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteObject(Utf8JsonWriter json, PlannedObject planned)
    {
        var (metaCategory, templateUuid) = MispWriteTypes.Template(planned.Name);
        json.WriteStartObject();
        json.WriteString("uuid", planned.Uuid);
        json.WriteString("name", planned.Name);
        json.WriteString("meta-category", metaCategory);
        if (templateUuid is not null)
        {
            json.WriteString("template_uuid", templateUuid);
        }

        json.WriteStartArray("Attribute");
        foreach (var attribute in planned.Attributes)
        {
            WriteAttribute(json, attribute);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteAttribute(Utf8JsonWriter json, PlannedAttribute attribute)
    {
        var source = attribute.Source;
        json.WriteStartObject();
        json.WriteString("uuid", attribute.Uuid);
        json.WriteString("type", attribute.Type);
        json.WriteString("category", attribute.Category);
        if (attribute.Relation is not null)
        {
            json.WriteString("object_relation", attribute.Relation);
        }

        json.WriteString("value", attribute.Value);
        json.WriteBoolean("to_ids", source?.ForDetection ?? false);
        if (source is null)
        {
            json.WriteEndObject();
            return;
        }

        if (source.Comment is { } comment)
        {
            json.WriteString("comment", comment);
        }

        if (source.FirstSeen is { } firstSeen)
        {
            json.WriteString("first_seen", ExchangeDates.FormatMisp(firstSeen));
        }

        if (source.LastSeen is { } lastSeen)
        {
            json.WriteString("last_seen", ExchangeDates.FormatMisp(lastSeen));
        }

        WriteTags(json, source.Tlp, source.Pap, source.Tags);
        json.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter json, string? tlp, string? pap, IReadOnlyList<string> tags)
    {
        if (tlp is null && pap is null && tags.Count == 0)
        {
            return;
        }

        json.WriteStartArray("Tag");
        foreach (var tag in (string?[])[tlp is null ? null : Markings.NormaliseTlp(tlp) ?? tlp, pap is null ? null : Markings.NormalisePap(pap) ?? pap, .. tags])
        {
            if (!string.IsNullOrWhiteSpace(tag))
            {
                json.WriteStartObject();
                json.WriteString("name", tag);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// Galaxy tags for what the report states but its own tags do not already imply. They go first, so that on reading
    /// back the report's stated actor and family win over older tags.
    /// </summary>
    private static IEnumerable<string> GalaxyTags(ExchangeReport report)
    {
        var implied = new GalaxyDigest();
        foreach (var tag in report.Tags)
        {
            implied.OfferTag(tag);
        }

        if (report.ThreatActor is { } actor && actor != implied.ThreatActor)
        {
            yield return $"{GalaxyDigest.TagPrefix}threat-actor=\"{actor}\"";
        }

        if (report.MalwareFamily is { } family && family != implied.MalwareFamily)
        {
            yield return $"{GalaxyDigest.TagPrefix}malpedia=\"{family}\"";
        }

        foreach (var technique in report.AttackTechniques)
        {
            if (!implied.Techniques.Contains(technique))
            {
                yield return $"{GalaxyDigest.TagPrefix}mitre-attack-pattern=\"{technique}\"";
            }
        }
    }
}
