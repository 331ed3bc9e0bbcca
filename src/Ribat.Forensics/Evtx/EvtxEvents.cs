using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Evtx;

/// <summary>
/// Flattens an EVTX event to a <see cref="LogEvent"/> by the house convention the Sigma engine relies on:
/// EventData/UserData fields first, System fields after, values as the evtx JSON twins show them.
/// </summary>
public static class EvtxEvents
{
    public static LogEvent ToLogEvent(EvtxRecord record, string sourceFile)
    {
        var fields = new List<LogField>(32);
        var @event = record.Event;
        var system = @event.Child("System");
        foreach (var section in @event.Children)
        {
            if (section.Name == "EventData")
            {
                AddEventData(section, fields);
            }
            else if (section.Name == "UserData")
            {
                AddLeaves(section, fields);
            }
        }

        string? timeCreated = null;
        long? eventRecordId = null;
        if (system is not null)
        {
            AddSystem(system, fields, ref timeCreated, ref eventRecordId);
        }

        var timestamp = BinXmlValues.ParseTimestamp(timeCreated) ?? record.Written;
        return new LogEvent(LogFormat.Evtx, sourceFile, eventRecordId ?? record.RecordId, timestamp, [.. fields]);
    }

    private static void AddEventData(EvtxElement eventData, List<LogField> fields)
    {
        if (eventData.Children.Length == 0)
        {
            if (!eventData.Value.IsNull)
            {
                fields.Add(new LogField("Data", eventData.Value.ToText()));
            }

            return;
        }

        foreach (var child in eventData.Children)
        {
            var name = child.Name == "Data" ? child.Attribute("Name").ToText() ?? "Data" : child.Name;
            fields.Add(new LogField(name, child.Value.ToText()));
        }
    }

    /// <summary>UserData holds one provider-defined element; its leaves are the fields, by local name.</summary>
    private static void AddLeaves(EvtxElement element, List<LogField> fields)
    {
        foreach (var child in element.Children)
        {
            if (child.Children.Length == 0)
            {
                fields.Add(new LogField(LocalName(child.Name), child.Value.ToText()));
            }
            else
            {
                AddLeaves(child, fields);
            }
        }
    }

    private static void AddSystem(EvtxElement system, List<LogField> fields, ref string? timeCreated, ref long? eventRecordId)
    {
        foreach (var child in system.Children)
        {
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

    private static string? AddAttribute(EvtxElement element, string attribute, string field, List<LogField> fields)
    {
        foreach (var candidate in element.Attributes)
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

    private static string LocalName(string name)
    {
        var colon = name.IndexOf(':');
        return colon < 0 ? name : name[(colon + 1)..];
    }
}
