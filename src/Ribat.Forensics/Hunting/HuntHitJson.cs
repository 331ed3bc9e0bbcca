using System.Globalization;
using System.Net;
using System.Text.Json;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Ioc;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Hunting;

/// <summary>
/// One hunt row as JSON: what <c>ribat hunt --format json</c> writes per line and what the server keeps as a
/// detection's finding, so both say the same thing.
/// </summary>
public static class HuntHitJson
{
    /// <summary>
    /// Writes <paramref name="hit"/> as one object. <paramref name="sourceFile"/> replaces the event's file name (the
    /// server names the evidence item, not where its store keeps it); <paramref name="enricher"/> adds <c>origins</c>.
    /// </summary>
    public static void Write(Utf8JsonWriter json, HuntHit hit, AddressEnricher? enricher = null, string? sourceFile = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(hit);
        json.WriteStartObject();
        json.WriteString("kind", Kind(hit.Kind));
        json.WriteString("rule_id", hit.RuleId);
        json.WriteString("rule_title", hit.RuleTitle);
        json.WriteString("level", hit.Level);
        json.WriteStartArray("tags");
        foreach (var tag in hit.Tags)
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
        json.WriteString("timestamp", Time(hit.Event.Timestamp));
        json.WriteString("source_file", sourceFile ?? hit.Event.SourceFile);
        json.WriteNumber("record_id", hit.Event.RecordId);
        WriteExtras(json, hit);
        json.WritePropertyName("event");
        WriteEvent(json, hit.Event);
        if (enricher is not null)
        {
            WriteOrigins(json, hit.Event, enricher);
        }

        json.WriteEndObject();
    }

    /// <summary>A row's time: UTC, microseconds, <c>Z</c>.</summary>
    public static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string Kind(HuntKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The event's fields as one JSON object; a name met again gets <c>_1</c>, <c>_2</c>… as the EVTX JSON does.</summary>
    public static void WriteEvent(Utf8JsonWriter json, LogEvent logEvent)
    {
        json.WriteStartObject();
        HashSet<string>? seen = null;
        foreach (var field in logEvent.Fields)
        {
            var name = field.Name;
            seen ??= new HashSet<string>(StringComparer.Ordinal);
            for (var n = 1; !seen.Add(name); n++)
            {
                name = field.Name + "_" + n.ToString(CultureInfo.InvariantCulture);
            }

            json.WriteString(name, field.Value);
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// <c>origins</c>: each distinct address that is a field's whole value, with what the databases know of it;
    /// addresses they know nothing of are left out.
    /// </summary>
    private static void WriteOrigins(Utf8JsonWriter json, LogEvent logEvent, AddressEnricher enricher)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        json.WriteStartObject("origins");
        foreach (var field in logEvent.Fields)
        {
            if (field.Value is not { } value || !IsAddress(value, out var address) || !seen.Add(value))
            {
                continue;
            }

            var origin = enricher.Lookup(address);
            if (origin != AddressOrigin.Unknown)
            {
                json.WriteStartObject(value);
                AddressOriginJson.Write(json, origin);
                json.WriteEndObject();
            }
        }

        json.WriteEndObject();
    }

    /// <summary>An address as the indicator store reads one (no "1.2" shorthand), so hunts and indicators agree.</summary>
    private static bool IsAddress(string value, out IPAddress address)
    {
        address = IPAddress.None;
        if (value.Length > 64
            || !(Observables.TryCanonicalise(ObservableType.IPv4, value, out var canonical, out _)
                || Observables.TryCanonicalise(ObservableType.IPv6, value, out canonical, out _)))
        {
            return false;
        }

        address = IPAddress.Parse(canonical.Value);
        return true;
    }

    private static void WriteExtras(Utf8JsonWriter json, HuntHit hit)
    {
        if (hit.Kind == HuntKind.Ioc)
        {
            json.WriteString("indicator", hit.Indicator);
            json.WriteString("indicator_type", hit.IndicatorType);
            json.WriteString("indicator_id", hit.IndicatorId);
            json.WriteString("field", hit.Field);
        }
        else if (hit.Kind is HuntKind.Correlation or HuntKind.Access)
        {
            json.WriteNumber("event_count", hit.EventCount);
            if (hit.Kind == HuntKind.Correlation)
            {
                json.WriteString("group_key", hit.GroupKey);
            }
        }
        else if (hit.Kind == HuntKind.Event)
        {
            json.WriteStartArray("matched");
            foreach (var id in hit.Matched)
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
        }
    }
}
