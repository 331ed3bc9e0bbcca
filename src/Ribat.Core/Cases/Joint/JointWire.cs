using System.Text.Json;

namespace Ribat.Core.Cases.Joint;

/// <summary>
/// Reads the joint investigation objects a partner sent, field by field, into checked values; the first problem is
/// the reason the object is refused (missing, oversized or malformed fields, control characters, unknown values).
/// </summary>
internal static class JointWire
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record CaseVersion(
        Guid Id,
        DateTimeOffset Modified,
        string Title,
        List<string> Offences,
        List<string> NationalCategories,
        string Status,
        string? LeadInvestigator,
        List<JointRules.Member> Members,
        List<JointRules.EvidenceLine> Evidence,
        bool Withdrawn);

    public sealed record EntryVersion(Guid Id, Guid CaseId, DateTimeOffset Modified, JointEntryKind Kind, string Text, DateTimeOffset? OccurredAt, string? Author);

    public static CaseVersion? ReadCase(JsonElement stix, out string? why)
    {
        if (!JointRules.TryId(stix, "id", JointRules.CaseType, out var id, out why) || !JointRules.TryTime(stix, "modified", true, out var modified, out why))
        {
            return null;
        }

        var title = JointRules.Text(stix, "title");
        var status = JointRules.Text(stix, "status");
        var lead = JointRules.Text(stix, "lead_investigator");
        why = title is null ? "title is missing"
            : !JointRules.IsLine(title, JointRules.MaxTitle) ? $"title is empty, longer than {JointRules.MaxTitle} characters or holds control characters"
            : status is null ? "status is missing"
            : !JointRules.Statuses.Contains(status) ? $"status '{JointRules.Clip(status)}' is not a case status ({string.Join(", ", JointRules.Statuses)})"
            : lead is not null && !JointRules.IsLine(lead, JointRules.MaxName) ? $"lead_investigator is empty, longer than {JointRules.MaxName} characters or holds control characters"
            : stix.TryGetProperty("withdrawn", out var w) && w.ValueKind is not (JsonValueKind.True or JsonValueKind.False) ? "withdrawn is not a boolean"
            : null;
        if (why is not null)
        {
            return null;
        }

        var withdrawn = stix.TryGetProperty("withdrawn", out var flag) && flag.ValueKind == JsonValueKind.True;
        var offences = Strings(stix, "offences", JointRules.MaxCategories, 40, out why);
        if (why is null)
        {
            foreach (var offence in offences!)
            {
                if (!OffenceCategories.All.Any(o => o.Name == offence))
                {
                    why = $"offences holds '{JointRules.Clip(offence)}', which is not a Budapest Convention offence category";
                    break;
                }
            }
        }

        var national = why is null ? Strings(stix, "national_categories", JointRules.MaxCategories, JointRules.MaxCategory, out why) : null;
        var members = why is null ? Members(stix, out why) : null;
        var evidence = why is null && !withdrawn ? Evidence(stix, out why) : [];
        return why is null
            ? new CaseVersion(id, modified!.Value, title!, offences!, national!, status!, lead, members!, evidence!, withdrawn)
            : null;
    }

    public static EntryVersion? ReadEntry(JsonElement stix, out string? why)
    {
        if (!JointRules.TryId(stix, "id", JointRules.EntryType, out var id, out why)
            || !JointRules.TryTime(stix, "modified", true, out var modified, out why)
            || !JointRules.TryId(stix, "case_ref", JointRules.CaseType, out var caseId, out why)
            || !JointRules.TryTime(stix, "occurred", false, out var occurred, out why))
        {
            return null;
        }

        var kind = JointRules.Text(stix, "kind");
        var text = JointRules.Text(stix, "text");
        var author = JointRules.Text(stix, "author");
        var known = JointRules.TryParseKind(kind, out var parsed);
        why = kind is null ? "kind is missing"
            : !known ? $"kind '{JointRules.Clip(kind)}' is not a kind of entry (timeline, note, task)"
            : text is null ? "text is missing"
            : !JointRules.IsText(text, JointRules.MaxText) ? $"text is empty, longer than {JointRules.MaxText:N0} characters or holds control characters other than line breaks and tabs"
            : author is not null && !JointRules.IsLine(author, JointRules.MaxName) ? $"author is empty, longer than {JointRules.MaxName} characters or holds control characters"
            : parsed == JointEntryKind.Timeline && occurred is null ? "a timeline entry says when it happened (occurred)"
            : null;
        return why is null ? new EntryVersion(id, caseId, modified!.Value, parsed, text!, occurred, author) : null;
    }

    private static List<string>? Strings(JsonElement stix, string property, int max, int length, out string? why)
    {
        why = null;
        if (!stix.TryGetProperty(property, out var array))
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() > max)
        {
            why = $"{property} is not an array of at most {max} strings";
            return null;
        }

        var values = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !JointRules.IsLine(item.GetString()!, length))
            {
                why = $"{property} holds a value that is not 1 to {length} printable characters";
                return null;
            }

            values.Add(item.GetString()!);
        }

        return values;
    }

    private static List<JointRules.Member>? Members(JsonElement stix, out string? why)
    {
        why = null;
        if (!stix.TryGetProperty("members", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() is 0 or > JointRules.MaxMembers)
        {
            why = $"members is not an array of 1 to {JointRules.MaxMembers} organisations";
            return null;
        }

        var members = new List<JointRules.Member>();
        foreach (var item in array.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.Object ? JointRules.Text(item, "name") : null;
            if (item.ValueKind != JsonValueKind.Object || !Guid.TryParse(JointRules.Text(item, "organisation"), out var organisation)
                || !Guid.TryParse(JointRules.Text(item, "node"), out var node) || name is null || !JointRules.IsLine(name, JointRules.MaxName))
            {
                why = $"members holds an entry that is not {{organisation, node, name}} with ids and a name of 1 to {JointRules.MaxName} printable characters";
                return null;
            }

            members.Add(new JointRules.Member(organisation, node, name));
        }

        return members;
    }

    private static List<JointRules.EvidenceLine>? Evidence(JsonElement stix, out string? why)
    {
        why = null;
        if (!stix.TryGetProperty("evidence", out var array))
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() > JointRules.MaxEvidence)
        {
            why = $"evidence is not an array of at most {JointRules.MaxEvidence:N0} items";
            return null;
        }

        var lines = new List<JointRules.EvidenceLine>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                why = "evidence holds something that is not an object";
                return null;
            }

            var name = JointRules.Text(item, "name");
            var state = JointRules.Text(item, "state");
            var (md5, sha1, sha256) = (JointRules.Text(item, "md5"), JointRules.Text(item, "sha1"), JointRules.Text(item, "sha256"));
            var size = item.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) && n >= 0 ? n : -1;
            var custody = item.TryGetProperty("custody_entries", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var k) && k >= 0 ? k : -1;
            why = !Guid.TryParse(JointRules.Text(item, "id"), out var id) ? "an evidence item has no id"
                : name is null || !JointRules.IsLine(name, JointRules.MaxFileName) ? $"evidence item {id} has no name of 1 to {JointRules.MaxFileName} printable characters"
                : !IsHex(md5, 32) || !IsHex(sha1, 40) || !IsHex(sha256, 64) ? $"evidence item {id} lacks an MD5, SHA-1 or SHA-256 in lower-case hexadecimal"
                : size < 0 ? $"evidence item {id} has no size of zero or more bytes"
                : custody < 0 ? $"evidence item {id} has no count of custody entries"
                : state is null || !JointRules.EvidenceStates.Contains(state) ? $"evidence item {id} has no custody state ({string.Join(", ", JointRules.EvidenceStates)})"
                : !JointRules.TryTime(item, "acquired", true, out _, out var bad) ? $"evidence item {id}: {bad}"
                : null;
            if (why is not null)
            {
                return null;
            }

            JointRules.TryTime(item, "acquired", true, out var at, out _);
            lines.Add(new JointRules.EvidenceLine(id, name!, size, md5!, sha1!, sha256!, at!.Value, state!, custody));
        }

        return lines;
    }

    private static bool IsHex(string? text, int length) => text is not null && text.Length == length && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
