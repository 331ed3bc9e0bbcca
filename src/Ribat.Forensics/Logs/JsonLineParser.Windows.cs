namespace Ribat.Forensics.Logs;

internal sealed partial class JsonLineParser
{
    /// <summary>
    /// Puts Windows-shaped fields first, flat, as the EVTX reader names them: from event XML carried in a string
    /// (Sysmon for Linux through a JSON shipper) or from nested <c>Event.EventData.X</c>/<c>Event.System.X</c>
    /// (evtx_dump's and most converters' JSON). The dotted originals stay after them.
    /// </summary>
    private static void LiftWindowsFields(List<LogField> fields, bool hasXml, bool windowsShaped)
    {
        var lifted = new List<LogField>(24);
        if (hasXml)
        {
            foreach (var field in fields)
            {
                if (field.Value is { } value && value.StartsWith("<Event", StringComparison.Ordinal) && SysmonXml.TryRead(value, lifted))
                {
                    break;
                }
            }
        }

        if (windowsShaped && lifted.Count == 0)
        {
            LiftSection(fields, "Event.EventData.", lifted);
            LiftSection(fields, "Event.UserData.", lifted);
            LiftSection(fields, "Event.System.", lifted);
        }

        fields.InsertRange(0, lifted);
    }

    private static void LiftSection(List<LogField> fields, string prefix, List<LogField> lifted)
    {
        string? pendingName = null;
        foreach (var field in fields)
        {
            if (!field.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = field.Name.AsSpan(prefix.Length);
            if (prefix == "Event.System.")
            {
                lifted.Add(new LogField(SystemName(rest), field.Value));
                continue;
            }

            // <Data Name="X">v</Data> as JSON converters write it: {"Data": [{"@Name": "X", "#text": "v"}, ...]}.
            var leaf = rest[(rest.LastIndexOf('.') + 1)..];
            if (leaf is "@Name" or "Name" && rest.StartsWith("Data.", StringComparison.Ordinal))
            {
                pendingName = field.Value;
            }
            else if (leaf is "#text" or "text" && pendingName is not null)
            {
                lifted.Add(new LogField(pendingName, field.Value));
                pendingName = null;
            }
            else if (leaf.Length > 0 && !leaf.StartsWith("@", StringComparison.Ordinal) && !leaf.StartsWith("#", StringComparison.Ordinal) && !char.IsAsciiDigit(leaf[0]))
            {
                lifted.Add(new LogField(leaf.ToString(), field.Value));
            }
        }
    }

    /// <summary>"Provider.#attributes.Name" → "Provider_Name", "TimeCreated.@SystemTime" → "TimeCreated", "EventID.#text" → "EventID".</summary>
    private static string SystemName(ReadOnlySpan<char> path)
    {
        var dot = path.IndexOf('.');
        if (dot < 0)
        {
            return path.ToString();
        }

        var element = path[..dot];
        var attribute = path[(path.LastIndexOf('.') + 1)..].TrimStart('@');
        return element switch
        {
            "Provider" => attribute is "Name" ? "Provider_Name" : attribute is "Guid" ? "Provider_Guid" : "Provider_" + attribute.ToString(),
            "TimeCreated" or "EventID" or "Execution" or "Security" or "Correlation" when attribute is "#text" or "SystemTime" or "value" => element.ToString(),
            "Execution" or "Security" or "Correlation" => attribute.ToString(),
            _ => element.ToString() + "_" + attribute.ToString(),
        };
    }
}
