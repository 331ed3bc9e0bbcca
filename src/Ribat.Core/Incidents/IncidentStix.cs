using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ribat.Stix.Model;

namespace Ribat.Core.Incidents;

/// <summary>
/// The STIX 2.1 shape of an incident and of what its organisations add to it, as it crosses to partner nodes: a STIX
/// <c>incident</c> with Ribat's properties, and custom objects for timeline entries, tasks, a task's progress
/// reported by its assignee, published situation reports and acknowledgements. Node and organisation ids are
/// absolute (never "this node"), so every node reads them the same way. The layout is ADR 0014.
/// </summary>
internal static class IncidentStix
{
    public const string IncidentType = "incident";
    public const string EntryType = IncidentRules.TimelineEntryType;
    public const string TaskType = IncidentRules.TaskType;
    public const string SitrepType = IncidentRules.SitrepType;
    public const string ProgressType = "x-ribat-incident-task-progress";
    public const string AcknowledgementType = "x-ribat-incident-ack";
    public const string LinkType = IncidentRules.LinkType;

    public static readonly IReadOnlyCollection<string> Types = [IncidentType, EntryType, TaskType, SitrepType, ProgressType, AcknowledgementType, LinkType];

    public static string Stamp(DateTimeOffset at) => StixTimestamp.FromDateTime(at.UtcDateTime, 3).ToString();

    /// <summary>
    /// The id of an object one organisation writes at most once per subject (its acknowledgement of an incident, its
    /// progress on a task): derived from both, so every version of it keeps one identity without a stored id.
    /// </summary>
    public static string DerivedId(string type, string subject, Guid organisation)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{type}|{subject}|{organisation:D}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: a name-based UUID of our own scheme
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return $"{type}--{new Guid(hash.AsSpan(0, 16), bigEndian: true):D}";
    }

    private static JsonObject Head(string type, string id, DateTimeOffset created) => new()
    {
        ["type"] = type,
        ["spec_version"] = "2.1",
        ["id"] = id,
        ["created"] = Stamp(created),
    };

    private static void Optional(JsonObject target, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            target[name] = value;
        }
    }

    private static void Optional(JsonObject target, string name, DateTimeOffset? value)
    {
        if (value is { } at)
        {
            target[name] = Stamp(at);
        }
    }

    /// <summary>The incident as its lead wrote it: content, status, lead, participants and the lead's clocks.</summary>
    public static JsonObject Incident(Incident row, Guid localNode, string? mergedIntoStixId)
    {
        var stix = Head(IncidentType, row.StixId, row.CreatedAt);
        stix["name"] = row.Title;
        Optional(stix, "description", row.Description);
        stix["category"] = row.Category;
        stix["severity"] = row.Severity.Spell();
        stix["sectors"] = new JsonArray([.. row.Sectors.Select(s => JsonValue.Create(s))]);
        stix["countries"] = new JsonArray([.. row.Countries.Select(c => JsonValue.Create(c))]);
        stix["status"] = row.Status.Spell();
        Optional(stix, "status_reason", row.StatusReason);
        stix["status_changed"] = Stamp(row.StatusChangedAt);
        Optional(stix, "merged_into_ref", mergedIntoStixId);
        stix["lead_organisation"] = row.OwnerOrganisationId.ToString();
        stix["lead_node"] = (row.OwnerNode ?? localNode).ToString();
        stix["participants"] = new JsonArray([.. row.Participants.OrderBy(p => p.JoinedAt).ThenBy(p => p.OrganisationId).Select(p => (JsonNode)new JsonObject
        {
            ["organisation"] = p.OrganisationId.ToString(),
            ["node"] = (p.OrganisationNode ?? localNode).ToString(),
            ["joined"] = Stamp(p.JoinedAt),
        })]);
        stix["reported"] = Stamp(row.ReportedAt);
        Optional(stix, "first_shared", row.FirstSharedAt);
        Optional(stix, "contained", row.ContainedAt);
        Optional(stix, "resolved", row.ResolvedAt);
        if (row.ExerciseId is { } exercise)
        {
            stix["exercise_id"] = exercise.ToString();
        }

        return stix;
    }

    public static JsonObject Entry(TimelineEntry entry, string incidentStixId, Guid localNode)
    {
        var stix = Head(EntryType, entry.StixId, entry.RecordedAt);
        stix["incident_ref"] = incidentStixId;
        stix["organisation"] = entry.OrganisationId.ToString();
        stix["node"] = (entry.OrganisationNode ?? localNode).ToString();
        stix["occurred"] = Stamp(entry.OccurredAt);
        stix["author_name"] = entry.AuthorName;
        Optional(stix, "source", entry.Source);
        stix["text"] = entry.Text;
        Optional(stix, "edited", entry.EditedAt);
        return stix;
    }

    public static JsonObject Task(IncidentTask task, string incidentStixId, Guid localNode)
    {
        var stix = Head(TaskType, task.StixId, task.CreatedAt);
        stix["incident_ref"] = incidentStixId;
        stix["organisation"] = task.OrganisationId.ToString();
        stix["node"] = (task.OrganisationNode ?? localNode).ToString();
        stix["title"] = task.Title;
        Optional(stix, "description", task.Description);
        stix["assignee_organisation"] = task.AssigneeOrganisationId.ToString();
        stix["assignee_node"] = (task.AssigneeOrganisationNode ?? localNode).ToString();
        Optional(stix, "due", task.DueAt);
        stix["status"] = task.Status.Spell();
        Optional(stix, "role", task.Role);
        Optional(stix, "completed", task.CompletedAt);
        return stix;
    }

    /// <summary>The assignee's report of progress on a task another organisation wrote (its status, nothing else).</summary>
    public static JsonObject Progress(IncidentTask task, string incidentStixId, Guid organisation, Guid localNode)
    {
        var stix = Head(ProgressType, DerivedId(ProgressType, task.StixId, organisation), task.UpdatedAt);
        stix["incident_ref"] = incidentStixId;
        stix["task_ref"] = task.StixId;
        stix["organisation"] = organisation.ToString();
        stix["node"] = localNode.ToString();
        stix["status"] = task.Status.Spell();
        Optional(stix, "completed", task.CompletedAt);
        return stix;
    }

    public static JsonObject Sitrep(SituationReport sitrep, string incidentStixId, Guid localNode)
    {
        var stix = Head(SitrepType, sitrep.StixId, sitrep.CreatedAt);
        stix["incident_ref"] = incidentStixId;
        stix["organisation"] = sitrep.OrganisationId.ToString();
        stix["node"] = (sitrep.OrganisationNode ?? localNode).ToString();
        stix["version"] = sitrep.Version;
        stix["title"] = sitrep.Title;
        stix["body"] = sitrep.Body;
        stix["published"] = Stamp(sitrep.PublishedAt ?? sitrep.UpdatedAt);
        return stix;
    }

    public static JsonObject Acknowledgement(string incidentStixId, IncidentParticipant participant, Guid localNode)
    {
        var stix = Head(AcknowledgementType, DerivedId(AcknowledgementType, incidentStixId, participant.OrganisationId), participant.AcknowledgedAt!.Value);
        stix["incident_ref"] = incidentStixId;
        stix["organisation"] = participant.OrganisationId.ToString();
        stix["node"] = localNode.ToString();
        stix["acknowledged"] = Stamp(participant.AcknowledgedAt.Value);
        return stix;
    }

    /// <summary>
    /// A link as its organisation made it: the target's STIX id (never its content) or a typed value in canonical form.
    /// Removing the link writes its last version, <c>revoked</c>; STIX makes that final, so linking again is a new link.
    /// </summary>
    public static JsonObject Link(IncidentLink link, string incidentStixId, Guid localNode, bool revoked)
    {
        var stix = Head(LinkType, link.StixId, link.LinkedAt);
        stix["incident_ref"] = incidentStixId;
        stix["organisation"] = link.OrganisationId.ToString();
        stix["node"] = (link.OrganisationNode ?? localNode).ToString();
        stix["link_kind"] = IncidentLinkKinds.Spell(link.Kind);
        Optional(stix, "target_ref", link.TargetStixId);
        Optional(stix, "value_type", link.ValueType);
        Optional(stix, "value", link.Value);
        if (revoked)
        {
            stix["revoked"] = true;
        }

        return stix;
    }
}
