using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Incidents;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Playbooks;

/// <summary>
/// A playbook as it crosses to partner nodes: the custom object <c>x-ribat-playbook</c> with its title, description,
/// category and steps, under the playbook's sharing terms, like intelligence.
/// </summary>
internal static class PlaybookStix
{
    public const string Type = "x-ribat-playbook";

    public static async Task WriteAsync(RibatDbContext db, Playbook row, SharingTerms terms, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var previous = await StixMirror.LastVersionAsync(db, row.StixId, cancellationToken);
        var stix = new JsonObject
        {
            ["type"] = Type,
            ["spec_version"] = "2.1",
            ["id"] = row.StixId,
            ["created"] = IncidentStix.Stamp(row.CreatedAt),
            ["modified"] = StixMirror.NextModified(clock.GetUtcNow(), previous),
            ["name"] = row.Title,
        };
        if (row.Description is { } description)
        {
            stix["description"] = description;
        }

        if (row.Category is { } category)
        {
            stix["category"] = category;
        }

        stix["steps"] = new JsonArray([.. row.Steps.OrderBy(s => s.Order).Select(s =>
        {
            var step = new JsonObject { ["order"] = s.Order, ["title"] = s.Title, ["role"] = s.Role };
            if (s.Description is { } text)
            {
                step["description"] = text;
            }

            if (s.DueAfter is { } due)
            {
                step["due_after_hours"] = Math.Round(due.TotalHours, 3);
            }

            return (JsonNode)step;
        })]);
        await StixMirror.CustomAsync(db, stix, terms, row.CreatedBy, localNode, clock, cancellationToken);
    }
}

/// <summary>
/// Keeps a partner organisation's playbook in this node's playbook table, owned by that organisation and seen under
/// its terms, so that organisations here apply it to their incidents. Only the organisation that wrote it changes it;
/// an older or equal version changes nothing.
/// </summary>
internal sealed class PartnerPlaybooks(AuditTrail audit) : IPartnerObjects
{
    public IReadOnlyCollection<string> StixTypes { get; } = [PlaybookStix.Type];

    public async Task<string?> ReceiveAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken)
    {
        var r = new StixFieldReader(received.Stix);
        var id = r.Reference("id", PlaybookStix.Type);
        var created = r.Time("created");
        var modified = r.Time("modified");
        var title = r.Text("name", 300);
        var description = r.Text("description", 20_000, required: false, multiline: true);
        var category = r.Text("category", 80, required: false);
        var steps = r.List("steps", PlaybookRules.MaxSteps, (item, s) =>
        {
            var order = s.Number("order", 1, PlaybookRules.MaxSteps);
            var stepTitle = s.Text("title", 300);
            var role = s.Text("role", 32);
            var text = s.Text("description", 10_000, required: false, multiline: true);
            double? hours = null;
            if (item.TryGetProperty("due_after_hours", out var due))
            {
                hours = due.ValueKind == System.Text.Json.JsonValueKind.Number && due.TryGetDouble(out var h) && h > 0 && h <= 24 * 365 ? h : null;
                if (hours is null)
                {
                    s.Refuse("due_after_hours is not a number of hours above 0 and at most 8760");
                }
            }

            return (Order: order, Title: stepTitle, Role: role, Description: text, Hours: hours);
        });
        if (!r.Ok)
        {
            return r.Problem;
        }

        if (category is not null && !IncidentTaxonomy.TryParse(category, out _))
        {
            return $"category '{StixFieldReader.Shorten(category)}' is not in the ENISA reference taxonomy";
        }

        if (steps!.Count == 0)
        {
            return "a playbook has at least one step";
        }

        if (steps.FirstOrDefault(s => !PlaybookRoles.All.Contains(s.Role)) is { Role: { } unknown })
        {
            return $"role '{StixFieldReader.Shorten(unknown)}' is not one of {PlaybookRoles.Choices}";
        }

        if (!steps.Select(s => s.Order!.Value).Order().SequenceEqual(Enumerable.Range(1, steps.Count)))
        {
            return "steps are numbered 1, 2, 3 … without gaps or repeats";
        }

        var row = db.Playbooks.Local.FirstOrDefault(p => p.StixId == id!.Value.StixId)
            ?? await db.Playbooks.IgnoreQueryFilters().Include(p => p.Steps).FirstOrDefaultAsync(p => p.StixId == id!.Value.StixId, cancellationToken);
        var owner = received.Terms.Owner;
        if (row is not null && (row.OwnerOrganisationId != owner.Id || (row.OwnerNode ?? received.LocalNode) != owner.Node))
        {
            return $"{row.StixId} was written by organisation {row.OwnerOrganisationId}; only it changes it";
        }

        if (row is not null && modified <= row.UpdatedAt)
        {
            return null;
        }

        if (row is null)
        {
            if (await db.Playbooks.IgnoreQueryFilters().AnyAsync(p => p.Id == id!.Value.Uuid, cancellationToken))
            {
                return $"{id!.Value.StixId} collides with another playbook held here";
            }

            row = new Playbook { Id = id!.Value.Uuid, StixId = id.Value.StixId, Title = title!, CreatedAt = created!.Value };
            db.Playbooks.Add(row);
        }

        PlaybookRules.Apply(row, new PlaybookInput(title, description, category), modified!.Value);

        // Steps keep their key (playbook, order): changed in place, added or removed, never replaced by a second instance.
        row.Steps.RemoveAll(s => s.Order > steps.Count);
        foreach (var step in steps)
        {
            if (row.Steps.FirstOrDefault(s => s.Order == step.Order) is not { } held)
            {
                held = new PlaybookStep { PlaybookId = row.Id, Order = step.Order!.Value, Title = string.Empty, Role = string.Empty };
                row.Steps.Add(held);
            }

            held.Title = step.Title!.Trim();
            held.Role = step.Role!;
            held.Description = string.IsNullOrWhiteSpace(step.Description) ? null : step.Description.Trim();
            held.DueAfter = step.Hours is { } h ? TimeSpan.FromHours(h) : null;
        }
        SharedColumns.Apply(row, received.Terms, received.LocalNode);
        db.ShareGrants.RemoveRange(await db.ShareGrants.IgnoreQueryFilters().Where(g => g.ObjectId == row.Id).ToListAsync(cancellationToken));
        db.ShareGrants.AddRange(SharedColumns.Grants(row.Id, received.Terms, received.LocalNode, received.Now));
        audit.Add(db, Actor.System($"partner {received.Partner.Name}"), AuditEvents.PartnerPlaybookReceived, null, "playbook", row.Id.ToString(),
            new { partner = received.Partner.Id, stixId = row.StixId, steps = steps.Count, modified = modified.Value.ToString("O", CultureInfo.InvariantCulture) });
        return null;
    }
}
