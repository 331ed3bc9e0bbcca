using System.Globalization;
using System.Text.Json;
using Ribat.Forensics.Logs;

namespace Ribat.Testing;

/// <summary>
/// Reads the JSON twin of an EVTX file (<c>evtx_dump -o json</c> of omerbenamram/evtx: one JSON object per record,
/// concatenated) into <see cref="LogEvent"/>s flattened as the EVTX parser flattens records: EventData/UserData fields
/// first, then System fields in a fixed order. Used where a test or a benchmark needs Windows events without the
/// EVTX parser.
/// </summary>
internal static class EvtxJsonTwin
{
    public static List<LogEvent> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        var events = new List<LogEvent>();
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            events.Add(Convert(document.RootElement.GetProperty("Event"), path));
        }

        return events;
    }

    private static LogEvent Convert(JsonElement record, string path)
    {
        var fields = new List<LogField>();
        if (record.TryGetProperty("EventData", out var eventData))
        {
            AddEventData(eventData, fields);
        }

        if (record.TryGetProperty("UserData", out var userData))
        {
            AddLeaves(userData, fields);
        }

        var system = record.GetProperty("System");
        Add(fields, "EventID", system, "EventID", "#text");
        Add(fields, "Provider_Name", system, "Provider", "Name");
        Add(fields, "Provider_Guid", system, "Provider", "Guid");
        foreach (var name in (string[])["Channel", "Computer", "Level", "Task", "Opcode", "Keywords", "EventRecordID", "Version"])
        {
            Add(fields, name, system, name, null);
        }

        Add(fields, "ProcessID", system, "Execution", "ProcessID");
        Add(fields, "ThreadID", system, "Execution", "ThreadID");
        Add(fields, "UserID", system, "Security", "UserID");
        Add(fields, "TimeCreated", system, "TimeCreated", "SystemTime");
        Add(fields, "ActivityID", system, "Correlation", "ActivityID");
        Add(fields, "RelatedActivityID", system, "Correlation", "RelatedActivityID");
        var time = fields.FirstOrDefault(f => f.Name == "TimeCreated").Value;
        DateTimeOffset? timestamp = time is null ? null : DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        var recordId = long.Parse(fields.First(f => f.Name == "EventRecordID").Value!, CultureInfo.InvariantCulture);
        return new LogEvent(LogFormat.Evtx, path, recordId, timestamp, [.. fields]);
    }

    private static void AddEventData(JsonElement eventData, List<LogField> fields)
    {
        if (eventData.ValueKind == JsonValueKind.String)
        {
            fields.Add(new LogField("Data", eventData.GetString()));
            return;
        }

        if (eventData.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in eventData.EnumerateObject())
        {
            if (property.Name == "#attributes")
            {
                continue;
            }

            var name = property.Name == "#text" ? "Data" : property.Name;
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    fields.Add(new LogField(name, Render(item)));
                }
            }
            else
            {
                fields.Add(new LogField(name, Render(property.Value)));
            }
        }
    }

    private static void AddLeaves(JsonElement element, List<LogField> fields)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "#attributes")
            {
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.Object && !property.Value.TryGetProperty("#text", out _))
            {
                AddLeaves(property.Value, fields);
            }
            else
            {
                fields.Add(new LogField(property.Name, Render(property.Value)));
            }
        }
    }

    /// <summary>A System element is either the value itself or an element whose attribute (or text) holds it.</summary>
    private static void Add(List<LogField> fields, string name, JsonElement system, string element, string? attribute)
    {
        if (!system.TryGetProperty(element, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (attribute == "#text" || attribute is null)
            {
                if (!value.TryGetProperty("#text", out value))
                {
                    return;
                }
            }
            else if (!value.TryGetProperty("#attributes", out var attributes) || !attributes.TryGetProperty(attribute, out value))
            {
                return;
            }
        }
        else if (attribute is not null && attribute != "#text")
        {
            return;
        }

        fields.Add(new LogField(name, Render(value)));
    }

    private static string? Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object when value.TryGetProperty("#text", out var text) => Render(text),
        _ => value.GetRawText(),
    };
}
