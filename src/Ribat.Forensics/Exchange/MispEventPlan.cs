using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

internal sealed record PlannedAttribute(string Uuid, string Type, string Value, string Category, string? Relation, ExchangeIndicator? Source);

internal sealed record PlannedObject(string Uuid, string Name, List<PlannedAttribute> Attributes);

/// <summary>
/// Decides, before anything is written, where each indicator goes and under which uuid:
/// <list type="bullet">
/// <item>values that came from one MISP object (same <see cref="ExchangeIndicator.ObjectId"/>) go back into one object;</item>
/// <item>two parts of one composite attribute (same <see cref="ExchangeIndicator.SourceId"/>: a file name and its digest,
/// a domain and its IP) become one <c>filename|sha256</c> or <c>domain|ip</c> attribute again;</item>
/// <item>a uuid is the source's when it is a UUID not used yet in the event, otherwise a name-based UUID of type and
/// value, so exporting the same report twice gives the same uuids.</item>
/// </list>
/// </summary>
internal sealed class MispEventPlan
{
    private readonly HashSet<Guid> _used = [];

    private MispEventPlan(ExchangeReport report)
    {
        var top = new List<ExchangeIndicator>();
        var objects = new Dictionary<string, (string Name, string? Id, List<ExchangeIndicator> Members)>();
        var order = new List<string>();
        for (var i = 0; i < report.Indicators.Count; i++)
        {
            var indicator = report.Indicators[i];
            var name = indicator.ObjectName ?? MispWriteTypes.For(indicator).ObjectName;
            if (name is null)
            {
                top.Add(indicator);
                continue;
            }

            var key = indicator.ObjectName is not null && indicator.ObjectId is not null ? "id:" + indicator.ObjectId : "at:" + i;
            if (!objects.TryGetValue(key, out var group))
            {
                group = (name, indicator.ObjectName is null ? null : indicator.ObjectId, []);
                objects.Add(key, group);
                order.Add(key);
            }

            group.Members.Add(indicator);
        }

        Attributes = Plan(top, inObject: false);
        foreach (var key in order)
        {
            var (name, id, members) = objects[key];
            var uuid = Claim(id, ["object", name, id ?? string.Empty, members[0].Type.ToName(), members[0].Value]);
            var attributes = Plan(members, inObject: true);
            AddContext(uuid, members, attributes);
            Objects.Add(new PlannedObject(uuid, name, attributes));
        }

        EventUuid = Guid.TryParse(report.SourceId, out var eventId)
            ? eventId.ToString()
            : NameBasedUuid.Create(NameBasedUuid.RibatMisp, EventName(report)).ToString();
    }

    public string EventUuid { get; }

    public List<PlannedAttribute> Attributes { get; }

    public List<PlannedObject> Objects { get; } = [];

    public static MispEventPlan For(ExchangeReport report) => new(report);

    private List<PlannedAttribute> Plan(List<ExchangeIndicator> members, bool inObject)
    {
        var planned = new List<PlannedAttribute>(members.Count);
        var consumed = new bool[members.Count];
        var bySource = new Dictionary<string, List<int>>();
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i].SourceId is { } source)
            {
                if (!bySource.TryGetValue(source, out var list))
                {
                    bySource[source] = list = [];
                }

                list.Add(i);
            }
        }

        for (var i = 0; i < members.Count; i++)
        {
            if (consumed[i])
            {
                continue;
            }

            var indicator = members[i];
            var written = MispWriteTypes.For(indicator);
            var (type, value) = (written.Type, written.Value);
            if (indicator.SourceId is { } source && bySource[source].Count == 2 && bySource[source][0] == i
                && TryComposite(indicator, members[bySource[source][1]], out var compositeType, out var compositeValue))
            {
                consumed[bySource[source][1]] = true;
                (type, value) = (compositeType, compositeValue);
            }

            var category = MispWriteTypes.Category(type, indicator.Category, written.Category);
            var relation = inObject ? indicator.ObjectRelation ?? written.Relation ?? type : null;
            var uuid = Claim(indicator.SourceId, ["attribute", type, value]);
            planned.Add(new PlannedAttribute(uuid, type, value, category, relation, indicator));
        }

        return planned;
    }

    /// <summary>A file name with its digest, or a domain with its address, that one MISP attribute held.</summary>
    private static bool TryComposite(ExchangeIndicator first, ExchangeIndicator second, out string type, out string value)
    {
        type = value = string.Empty;
        if (first.Type == ObservableType.FileName && IsFileDigest(second.Type))
        {
            (type, value) = ("filename|" + MispWriteTypes.For(second).Type, first.Value + "|" + second.Value);
        }
        else if (second.Type == ObservableType.FileName && IsFileDigest(first.Type))
        {
            (type, value) = ("filename|" + MispWriteTypes.For(first).Type, second.Value + "|" + first.Value);
        }
        else if (first.Type == ObservableType.Domain && second.Type is ObservableType.IPv4 or ObservableType.IPv6)
        {
            (type, value) = ("domain|ip", first.Value + "|" + second.Value);
        }
        else if (second.Type == ObservableType.Domain && first.Type is ObservableType.IPv4 or ObservableType.IPv6)
        {
            (type, value) = ("domain|ip", second.Value + "|" + first.Value);
        }

        return type.Length > 0;
    }

    private static bool IsFileDigest(ObservableType type) =>
        type is ObservableType.Md5 or ObservableType.Sha1 or ObservableType.Sha256 or ObservableType.Sha512 or ObservableType.Ssdeep;

    /// <summary>The sibling that gives a text attribute its meaning: the coin's symbol, the JA4 variant, the account's platform.</summary>
    private void AddContext(string objectUuid, List<ExchangeIndicator> members, List<PlannedAttribute> attributes)
    {
        foreach (var member in members)
        {
            var written = MispWriteTypes.For(member);
            if (written.ContextRelation is { } relation && written.ContextValue is { } value)
            {
                var uuid = Claim(null, ["context", objectUuid, relation]);
                attributes.Add(new PlannedAttribute(uuid, "text", value, "Other", relation, null));
                return;
            }
        }
    }

    private string Claim(string? preferred, string[] name)
    {
        if (Guid.TryParse(preferred, out var id) && _used.Add(id))
        {
            return id.ToString();
        }

        var derived = NameBasedUuid.Create(NameBasedUuid.RibatMisp, name);
        for (var n = 2; !_used.Add(derived); n++)
        {
            derived = NameBasedUuid.Create(NameBasedUuid.RibatMisp, [.. name, n.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        return derived.ToString();
    }

    private static IEnumerable<string> EventName(ExchangeReport report)
    {
        yield return "event";
        yield return report.Title;
        yield return report.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        foreach (var indicator in report.Indicators)
        {
            yield return indicator.Type.ToName() + ":" + indicator.Value;
        }
    }
}
