using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Sharing;

namespace Ribat.Core.Incidents;

/// <summary>What a partner organisation added to an incident, checked and written into this node's copy.</summary>
internal static class PartReplica
{
    /// <summary>
    /// Writes the version into the incident it names; the value is that incident's id, or null when the part waits in
    /// the STIX store for its incident. <paramref name="fromStore"/>: the part is already stored and is written now that
    /// its incident arrived; what is already written is left as it is.
    /// </summary>
    public static async Task<Received<Guid?>> ReadAsync(RibatDbContext db, PartnerObject received, StixFieldReader r, bool fromStore, CancellationToken cancellationToken)
    {
        var type = r.Type;
        var stixId = r.Reference("id", type ?? "?");
        var incidentRef = r.Reference("incident_ref", IncidentStix.IncidentType);
        var organisation = r.Id("organisation");
        var node = r.Id("node");
        var created = r.Time("created");
        var modified = r.Time("modified");
        if (!r.Ok)
        {
            return r.Problem!;
        }

        var writer = received.Terms.Owner;
        if (organisation != writer.Id || node != writer.Node)
        {
            return $"written for organisation {organisation} but sent for organisation {writer.Id}; a node sends only what its own organisations wrote";
        }

        var row = db.Incidents.Local.FirstOrDefault(i => i.StixId == incidentRef!.Value.StixId)
            ?? await db.Incidents.IgnoreQueryFilters().Include(i => i.Participants).FirstOrDefaultAsync(i => i.StixId == incidentRef!.Value.StixId, cancellationToken);

        // Not here yet, or not naming the writer yet: the incident's version that does will write it.
        if (row is null || !IncidentReplica.TakesPart(row, writer, received.LocalNode))
        {
            return new Received<Guid?>(null, null);
        }

        var part = new Part(stixId!.Value.StixId, stixId.Value.Uuid, row, writer, created!.Value, modified!.Value, received.LocalNode, fromStore);
        var error = type switch
        {
            IncidentStix.EntryType => await EntryAsync(db, part, r, cancellationToken),
            IncidentStix.TaskType => await TaskAsync(db, part, r, cancellationToken),
            IncidentStix.ProgressType => await ProgressAsync(db, part, r, cancellationToken),
            IncidentStix.SitrepType => await SitrepAsync(db, part, r, cancellationToken),
            IncidentStix.AcknowledgementType => Acknowledgement(part, r),
            IncidentStix.LinkType => await LinkAsync(db, part, r, cancellationToken),
            _ => $"type {type} is not part of an incident",
        };
        return error is null ? new Received<Guid?>(row.Id, null) : error;
    }

    private sealed record Part(string StixId, Guid Uuid, Incident Incident, OrganisationRef Writer, DateTimeOffset Created, DateTimeOffset Modified, Guid LocalNode, bool FromStore)
    {
        public Guid? WriterNode => Writer.Node == LocalNode ? null : Writer.Node;

        public string? NotTheAuthor(Guid organisation, Guid? node, string what) =>
            organisation == Writer.Id && node == WriterNode ? null : $"{what} {StixId} was written by organisation {organisation}; only it changes it";
    }

    private static async Task<T?> FindAsync<T>(DbSet<T> set, Func<T, bool> local, System.Linq.Expressions.Expression<Func<T, bool>> stored, CancellationToken cancellationToken)
        where T : class =>
        set.Local.FirstOrDefault(local) ?? await set.IgnoreQueryFilters().FirstOrDefaultAsync(stored, cancellationToken);

    private static async Task<string?> EntryAsync(RibatDbContext db, Part part, StixFieldReader r, CancellationToken cancellationToken)
    {
        var occurred = r.Time("occurred");
        var author = r.Text("author_name", 256);
        var source = r.Text("source", 500, required: false);
        var text = r.Text("text", 10_000, multiline: true);
        var edited = r.Time("edited", required: false);
        if (!r.Ok)
        {
            return r.Problem;
        }

        var entry = await FindAsync(db.TimelineEntries, e => e.StixId == part.StixId, e => e.StixId == part.StixId, cancellationToken);
        if (entry is not null && (part.NotTheAuthor(entry.OrganisationId, entry.OrganisationNode, "timeline entry") is { } refused))
        {
            return part.FromStore ? null : refused;
        }

        if (entry is null)
        {
            entry = new TimelineEntry
            {
                Id = part.Uuid,
                StixId = part.StixId,
                IncidentId = part.Incident.Id,
                AuthorName = author!,
                OrganisationId = part.Writer.Id,
                OrganisationNode = part.WriterNode,
                RecordedAt = part.Created,
                Text = text!,
            };
            db.TimelineEntries.Add(entry);
        }
        else if (part.FromStore)
        {
            return null;
        }

        entry.AuthorName = author!;
        entry.OccurredAt = occurred!.Value;
        entry.Source = source;
        entry.Text = text!;
        entry.EditedAt = edited;
        IncidentReplica.NoteAction(part.Incident, part.Writer.Id, part.Created);
        return null;
    }

    private static async Task<string?> TaskAsync(RibatDbContext db, Part part, StixFieldReader r, CancellationToken cancellationToken)
    {
        var title = r.Text("title", 300);
        var description = r.Text("description", 10_000, required: false, multiline: true);
        var assignee = r.Id("assignee_organisation");
        var assigneeNode = r.Id("assignee_node");
        var due = r.Time("due", required: false);
        var statusText = r.Text("status", 16);
        var role = r.Text("role", 64, required: false);
        var completed = r.Time("completed", required: false);
        if (!r.Ok)
        {
            return r.Problem;
        }

        if (!IncidentTaskStatuses.TryParse(statusText, out var status) || statusText != status.Spell())
        {
            return $"status '{StixFieldReader.Shorten(statusText!)}' is not one of {IncidentTaskStatuses.Choices}";
        }

        if (role is not null && !Playbooks.PlaybookRoles.All.Contains(role))
        {
            return $"role '{StixFieldReader.Shorten(role)}' is not one of {Playbooks.PlaybookRoles.Choices}";
        }

        if (!IncidentReplica.TakesPart(part.Incident, new OrganisationRef(assignee!.Value, assigneeNode!.Value), part.LocalNode))
        {
            return part.FromStore ? null : $"the task is assigned to organisation {assignee}, which does not take part in the incident";
        }

        var task = await FindAsync(db.IncidentTasks, t => t.StixId == part.StixId, t => t.StixId == part.StixId, cancellationToken);
        if (task is not null && part.NotTheAuthor(task.OrganisationId, task.OrganisationNode, "task") is { } refused)
        {
            return part.FromStore ? null : refused;
        }

        if (task is null)
        {
            task = new IncidentTask
            {
                Id = part.Uuid,
                StixId = part.StixId,
                IncidentId = part.Incident.Id,
                Title = title!,
                OrganisationId = part.Writer.Id,
                OrganisationNode = part.WriterNode,
                CreatedAt = part.Created,
            };
            db.IncidentTasks.Add(task);
        }
        else if (part.FromStore)
        {
            return null;
        }

        task.Title = title!.Trim();
        task.Description = description;
        task.AssigneeOrganisationId = assignee.Value;
        task.AssigneeOrganisationNode = assigneeNode == part.LocalNode ? null : assigneeNode;
        task.DueAt = due;
        task.Role = role;
        task.Status = status;
        task.CompletedAt = completed;
        task.UpdatedAt = part.Modified;

        // The assignee reports progress in an object of its own; the newer of the two says the status.
        var progressId = IncidentStix.DerivedId(IncidentStix.ProgressType, task.StixId, task.AssigneeOrganisationId);
        var progress = await db.StixObjects.IgnoreQueryFilters().AsNoTracking().Where(s => s.StixId == progressId)
            .OrderByDescending(s => s.VersionAt).FirstOrDefaultAsync(cancellationToken);
        if (progress is not null && progress.VersionAt > part.Modified)
        {
            using var json = JsonDocument.Parse(progress.Json);
            var reported = new StixFieldReader(json.RootElement);
            if (IncidentTaskStatuses.TryParse(reported.Text("status", 16), out var later))
            {
                task.Status = later;
                task.CompletedAt = reported.Time("completed", required: false);
            }
        }

        IncidentReplica.NoteAction(part.Incident, part.Writer.Id, part.Created);
        return null;
    }

    private static async Task<string?> ProgressAsync(RibatDbContext db, Part part, StixFieldReader r, CancellationToken cancellationToken)
    {
        var taskRef = r.Reference("task_ref", IncidentStix.TaskType);
        var statusText = r.Text("status", 16);
        var completed = r.Time("completed", required: false);
        if (!r.Ok)
        {
            return r.Problem;
        }

        if (!IncidentTaskStatuses.TryParse(statusText, out var status) || statusText != status.Spell())
        {
            return $"status '{StixFieldReader.Shorten(statusText!)}' is not one of {IncidentTaskStatuses.Choices}";
        }

        if (part.StixId != IncidentStix.DerivedId(IncidentStix.ProgressType, taskRef!.Value.StixId, part.Writer.Id))
        {
            return "a task's progress has the id derived from the task and the reporting organisation";
        }

        var task = await FindAsync(db.IncidentTasks, t => t.StixId == taskRef.Value.StixId, t => t.StixId == taskRef.Value.StixId, cancellationToken);
        if (task is null)
        {
            // The task is on its way (written on another node); the incident's next version or the task itself will not bring it back, so it waits here.
            return null;
        }

        if (task.IncidentId != part.Incident.Id)
        {
            return $"task {task.StixId} belongs to another incident";
        }

        if (task.AssigneeOrganisationId != part.Writer.Id || task.AssigneeOrganisationNode != part.WriterNode)
        {
            return part.FromStore ? null : $"task {task.StixId} is assigned to organisation {task.AssigneeOrganisationId}; only it reports progress on it";
        }

        var taskVersion = await PartnerIncidents.NewestHeldAsync(db, task.StixId, cancellationToken);
        if (taskVersion is null || part.Modified > taskVersion)
        {
            task.Status = status;
            task.CompletedAt = completed;
            task.UpdatedAt = part.Modified > task.UpdatedAt ? part.Modified : task.UpdatedAt;
        }

        IncidentReplica.NoteAction(part.Incident, part.Writer.Id, part.Modified);
        return null;
    }

    private static async Task<string?> SitrepAsync(RibatDbContext db, Part part, StixFieldReader r, CancellationToken cancellationToken)
    {
        var version = r.Number("version", 1, 100_000);
        var title = r.Text("title", 300);
        var body = r.Text("body", 100_000, multiline: true);
        var published = r.Time("published");
        if (!r.Ok)
        {
            return r.Problem;
        }

        var held = await FindAsync(db.SituationReports, s => s.StixId == part.StixId, s => s.StixId == part.StixId, cancellationToken);
        if (held is not null)
        {
            // A published version never changes; its author's later versions are new reports.
            return part.FromStore ? null : part.NotTheAuthor(held.OrganisationId, held.OrganisationNode, "situation report");
        }

        var incidentId = part.Incident.Id;
        var writer = part.Writer.Id;
        if (db.SituationReports.Local.Any(s => s.IncidentId == incidentId && s.OrganisationId == writer && s.Version == version)
            || await db.SituationReports.IgnoreQueryFilters().AnyAsync(s => s.IncidentId == incidentId && s.OrganisationId == writer && s.Version == version, cancellationToken))
        {
            return part.FromStore ? null : $"version {version} of organisation {writer}'s situation report is already held under another id";
        }

        db.SituationReports.Add(new SituationReport
        {
            Id = part.Uuid,
            StixId = part.StixId,
            IncidentId = incidentId,
            OrganisationId = writer,
            OrganisationNode = part.WriterNode,
            Version = version!.Value,
            State = SituationReportState.Published,
            Title = title!.Trim(),
            Body = body!,
            CreatedAt = part.Created,
            UpdatedAt = published!.Value,
            PublishedAt = published,
        });
        IncidentReplica.NoteAction(part.Incident, writer, published.Value);
        return null;
    }

    private static string? Acknowledgement(Part part, StixFieldReader r)
    {
        var acknowledged = r.Time("acknowledged");
        if (!r.Ok)
        {
            return r.Problem;
        }

        if (part.StixId != IncidentStix.DerivedId(IncidentStix.AcknowledgementType, part.Incident.StixId, part.Writer.Id))
        {
            return "an acknowledgement has the id derived from the incident and the acknowledging organisation";
        }

        if (part.Incident.Participants.FirstOrDefault(p => p.OrganisationId == part.Writer.Id) is not { } participant)
        {
            return part.FromStore ? null : "the lead does not acknowledge its own incident";
        }

        if (participant.AcknowledgedAt is null || acknowledged < participant.AcknowledgedAt)
        {
            participant.AcknowledgedAt = acknowledged;
        }

        return null;
    }

    /// <summary>
    /// A link: its target (a STIX id of the right type, never content) or its value (checked and made canonical by the
    /// indicator store's rules) never changes; the revoked version removes it. Nothing is granted on the target: it shows
    /// here to whom the sharing policy shows it.
    /// </summary>
    private static async Task<string?> LinkAsync(RibatDbContext db, Part part, StixFieldReader r, CancellationToken cancellationToken)
    {
        var kindText = r.Text("link_kind", 16);
        var revoked = r.Flag("revoked");
        if (!r.Ok)
        {
            return r.Problem;
        }

        if (!IncidentLinkKinds.TryParse(kindText, out var kind) || kindText != IncidentLinkKinds.Spell(kind))
        {
            return $"link_kind '{StixFieldReader.Shorten(kindText!)}' is not one of {IncidentLinkKinds.Choices}";
        }

        string? target = null;
        Indicators.CanonicalIndicator? value = null;
        if (kind == IncidentLinkKind.Value)
        {
            var type = r.Text("value_type", 24);
            var text = r.Text("value", Indicators.IndicatorModel.MaxValueLength);
            if (!r.Ok)
            {
                return r.Problem;
            }

            if (r.Text("target_ref", 100, required: false) is not null)
            {
                return "a value link names no target_ref";
            }

            if (Indicators.RuleTypes.IsRule(type!) || !Forensics.Ioc.ObservableTypeNames.TryParse(type, out _) || type != type!.ToLowerInvariant())
            {
                return $"value_type '{StixFieldReader.Shorten(type!)}' is not one of {IncidentLinkKinds.ValueTypes}";
            }

            if (!Indicators.IndicatorTypes.TryCanonicalise(type, text, out value, out var reason))
            {
                return $"value is not a valid {type}: {reason.TrimEnd('.')}";
            }
        }
        else
        {
            target = r.Reference("target_ref", kind == IncidentLinkKind.Indicator ? "indicator" : "report")?.StixId;
            if (!r.Ok)
            {
                return r.Problem;
            }

            if (r.Text("value", 1, required: false) is not null || r.Text("value_type", 1, required: false) is not null || !r.Ok)
            {
                return $"an {kindText} link names no value";
            }
        }

        var link = await FindAsync(db.IncidentLinks, l => l.StixId == part.StixId, l => l.StixId == part.StixId, cancellationToken);
        if (link is not null)
        {
            if (part.NotTheAuthor(link.OrganisationId, link.OrganisationNode, "link") is { } refused)
            {
                return part.FromStore ? null : refused;
            }

            if (link.IncidentId != part.Incident.Id || link.Kind != kind || link.TargetStixId != target || link.ValueType != value?.Type || link.Value != value?.Value)
            {
                return part.FromStore ? null : $"link {part.StixId} keeps its incident and target; another target is another link";
            }

            if (revoked)
            {
                db.IncidentLinks.Remove(link);
            }

            return null;
        }

        if (revoked)
        {
            // Removed before it arrived here (or removed again): nothing to write, and its earlier versions change nothing now.
            return null;
        }

        var incidentId = part.Incident.Id;
        var writer = part.Writer.Id;
        var writerNode = part.WriterNode;
        var valueType = value?.Type;
        var canonical = value?.Value;
        var same = db.IncidentLinks.Local.Any(l => l.IncidentId == incidentId && l.OrganisationId == writer && l.Kind == kind && l.TargetStixId == target && l.ValueType == valueType && l.Value == canonical)
            || await db.IncidentLinks.IgnoreQueryFilters().AnyAsync(l => l.IncidentId == incidentId && l.OrganisationId == writer && l.OrganisationNode == writerNode && l.Kind == kind
                && l.TargetStixId == target && l.ValueType == valueType && l.Value == canonical, cancellationToken);
        if (same)
        {
            return part.FromStore ? null : $"organisation {writer} already links this {kindText} to the incident under another id";
        }

        db.IncidentLinks.Add(new IncidentLink
        {
            Id = part.Uuid,
            StixId = part.StixId,
            IncidentId = incidentId,
            Kind = kind,
            TargetStixId = target,
            ValueType = valueType,
            Value = canonical,
            OrganisationId = writer,
            OrganisationNode = writerNode,
            LinkedAt = part.Created,
        });
        IncidentReplica.NoteAction(part.Incident, writer, part.Created);
        return null;
    }
}
