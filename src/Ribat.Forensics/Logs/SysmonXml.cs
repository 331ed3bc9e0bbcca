using System.Xml;

namespace Ribat.Forensics.Logs;

/// <summary>
/// Sysmon for Linux writes each event as Windows event XML inside a syslog or JSON message. Its fields are lifted out
/// flat, by the Windows convention: EventData first (so its <c>ProcessId</c> wins), System after.
/// </summary>
internal static class SysmonXml
{
    private const int MaxXmlChars = 256 * 1024;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        MaxCharactersInDocument = MaxXmlChars,
    };

    /// <summary>Puts the event's fields before the others when <paramref name="message"/> is an event's XML.</summary>
    public static bool AddIfSysmon(List<LogField> fields, string program, string message)
    {
        if (!message.StartsWith("<Event", StringComparison.Ordinal) || message.Length > MaxXmlChars)
        {
            return false;
        }

        var lifted = new List<LogField>(32);
        if (!TryRead(message, lifted))
        {
            return false;
        }

        fields.InsertRange(0, lifted);
        return true;
    }

    /// <summary>The fields of one &lt;Event&gt;; false (and nothing added) when the XML is damaged.</summary>
    public static bool TryRead(string xml, List<LogField> into)
    {
        var eventData = new List<LogField>(24);
        var system = new List<LogField>(16);
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            string? section = null;
            var positioned = false;

            // Reading an element's content leaves the reader on the next node already: do not read past it.
            while (positioned || reader.Read())
            {
                positioned = false;
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.LocalName is "System" or "EventData" or "UserData")
                {
                    section = reader.LocalName;
                }
                else if (section == "System")
                {
                    positioned = ReadSystem(reader, system);
                }
                else if (section is "EventData" && reader.LocalName == "Data")
                {
                    var name = reader.GetAttribute("Name") ?? "Data";
                    positioned = !reader.IsEmptyElement;
                    eventData.Add(new LogField(name, reader.IsEmptyElement ? "" : reader.ReadElementContentAsString()));
                }
            }
        }
        catch (Exception e) when (e is XmlException or InvalidOperationException)
        {
            return false;
        }

        if (system.Count == 0 && eventData.Count == 0)
        {
            return false;
        }

        into.AddRange(eventData);
        into.AddRange(system);
        return true;
    }

    /// <summary>True when it read the element's content (and so moved the reader on).</summary>
    private static bool ReadSystem(XmlReader reader, List<LogField> system)
    {
        switch (reader.LocalName)
        {
            case "Provider":
                Attribute(reader, system, "Name", "Provider_Name");
                Attribute(reader, system, "Guid", "Provider_Guid");
                break;
            case "TimeCreated":
                Attribute(reader, system, "SystemTime", "TimeCreated");
                break;
            case "Execution":
                Attribute(reader, system, "ProcessID", "ProcessID");
                Attribute(reader, system, "ThreadID", "ThreadID");
                break;
            case "Security":
                Attribute(reader, system, "UserID", "UserID");
                break;
            case "Correlation":
                Attribute(reader, system, "ActivityID", "ActivityID");
                Attribute(reader, system, "RelatedActivityID", "RelatedActivityID");
                break;
            case "EventID" or "Channel" or "Computer" or "Level" or "Task" or "Opcode" or "Keywords" or "EventRecordID" or "Version":
                var name = reader.LocalName;
                if (!reader.IsEmptyElement)
                {
                    system.Add(new LogField(name, reader.ReadElementContentAsString()));
                    return true;
                }

                break;
        }

        return false;
    }

    private static void Attribute(XmlReader reader, List<LogField> into, string attribute, string name)
    {
        if (reader.GetAttribute(attribute) is { } value)
        {
            into.Add(new LogField(name, value));
        }
    }
}
