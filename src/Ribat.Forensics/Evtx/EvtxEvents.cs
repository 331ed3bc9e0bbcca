using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Evtx;

/// <summary>
/// Flattens an EVTX event to a <see cref="LogEvent"/> by the house convention the Sigma engine relies on:
/// EventData/UserData fields first, System fields after, values as the evtx JSON twins show them.
/// </summary>
public static class EvtxEvents
{
    // Fields are gathered here and copied out at their exact count: one array per event, no list.
    [ThreadStatic]
    private static List<LogField>? t_fields;

    public static LogEvent ToLogEvent(EvtxRecord record, string sourceFile)
    {
        var fields = t_fields ??= new List<LogField>(64);
        fields.Clear();
        var nodes = record.Shape;
        ref readonly var @event = ref nodes[0];
        for (var section = @event.FirstChild; section < @event.FirstChild + @event.ChildCount; section++)
        {
            if (nodes[section].Name == "EventData")
            {
                AddEventData(record, section, fields);
            }
            else if (nodes[section].Name == "UserData")
            {
                AddLeaves(record, section, fields);
            }
        }

        string? timeCreated = null;
        long? eventRecordId = null;
        var system = record.Child(0, "System");
        if (system >= 0)
        {
            AddSystem(record, system, fields, ref timeCreated, ref eventRecordId);
        }

        var timestamp = BinXmlValues.ParseTimestamp(timeCreated) ?? record.Written;
        var flat = new LogEvent(LogFormat.Evtx, sourceFile, eventRecordId ?? record.RecordId, timestamp, [.. fields]);
        fields.Clear();
        return flat;
    }

    private static void AddEventData(EvtxRecord record, int eventData, List<LogField> fields)
    {
        ref readonly var section = ref record.Shape[eventData];
        if (section.ChildCount == 0)
        {
            if (!record.Values[eventData].IsNull)
            {
                fields.Add(new LogField("Data", record.Values[eventData].ToText()));
            }

            return;
        }

        for (var i = section.FirstChild; i < section.FirstChild + section.ChildCount; i++)
        {
            var childName = record.Shape[i].Name;
            var name = childName == "Data" ? record.Attribute(i, "Name").ToText() ?? "Data" : childName;
            fields.Add(new LogField(name, record.Values[i].ToText()));
        }
    }

    /// <summary>UserData holds one provider-defined element; its leaves are the fields, by local name.</summary>
    private static void AddLeaves(EvtxRecord record, int element, List<LogField> fields)
    {
        ref readonly var parent = ref record.Shape[element];
        for (var i = parent.FirstChild; i < parent.FirstChild + parent.ChildCount; i++)
        {
            ref readonly var child = ref record.Shape[i];
            if (child.ChildCount == 0)
            {
                fields.Add(new LogField(LocalName(child.Name), record.Values[i].ToText()));
            }
            else
            {
                AddLeaves(record, i, fields);
            }
        }
    }

    private static void AddSystem(EvtxRecord record, int system, List<LogField> fields, ref string? timeCreated, ref long? eventRecordId)
    {
        ref readonly var parent = ref record.Shape[system];
        for (var i = parent.FirstChild; i < parent.FirstChild + parent.ChildCount; i++)
        {
            var child = new Element(record, i);
            switch (child.Name)
            {
                case "Provider":
                    AddAttribute(child, "Name", "Provider_Name", fields);
                    AddAttribute(child, "Guid", "Provider_Guid", fields);
                    break;
                case "TimeCreated":
                    timeCreated = AddAttribute(child, "SystemTime", "TimeCreated", fields);
                    break;
                case "Correlation":
                    AddAttribute(child, "ActivityID", "ActivityID", fields);
                    AddAttribute(child, "RelatedActivityID", "RelatedActivityID", fields);
                    break;
                case "Execution":
                    AddAttribute(child, "ProcessID", "ProcessID", fields);
                    AddAttribute(child, "ThreadID", "ThreadID", fields);
                    break;
                case "Security":
                    AddAttribute(child, "UserID", "UserID", fields);
                    break;
                case "EventRecordID":
                    fields.Add(new LogField("EventRecordID", child.Value.ToText()));
                    eventRecordId = child.Value.Kind is EvtxValueKind.Unsigned or EvtxValueKind.Signed ? child.Value.Signed : eventRecordId;
                    break;
                case "EventID" or "Version" or "Level" or "Task" or "Opcode" or "Keywords" or "Channel" or "Computer":
                    fields.Add(new LogField(child.Name, child.Value.ToText()));
                    break;
            }
        }
    }

    private static string? AddAttribute(Element element, string attribute, string field, List<LogField> fields)
    {
        foreach (var candidate in element.Record.AttributesOf(element.Index))
        {
            if (candidate.Name == attribute)
            {
                var text = candidate.Value.ToText();
                fields.Add(new LogField(field, text));
                return text;
            }
        }

        return null;
    }

    /// <summary>An element of a record by its index, without a view object.</summary>
    private readonly record struct Element(EvtxRecord Record, int Index)
    {
        public string Name => Record.Shape[Index].Name;

        public EvtxValue Value => Record.Values[Index];
    }

    private static string LocalName(string name)
    {
        var colon = name.IndexOf(':');
        return colon < 0 ? name : name[(colon + 1)..];
    }
}
