using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;
using Ribat.Stix.Taxii.Client;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// Carries sharing groups to the partner nodes that host their members, so an object distributed to a group reaches the
/// group's members there and no one else. A group travels as a custom STIX object, <c>x-ribat-sharing-group</c>, pushed
/// signed to the partner's exchange collection before the objects, to every partner whose egress rules allow the group:
/// its name, whether it is confidential, its owner, and only the members that partner node may know of (the owner and the organisations it hosts, as
/// <see cref="SharingGroupView"/> says). The receiving node keeps it as a group owned elsewhere, which only its owner
/// changes; a partner never changes this node's own groups.
/// </summary>
public sealed class SharingGroupExchange
{
    public const string StixType = "x-ribat-sharing-group";

    /// <summary>Members one group may list; more is refused, as it would be on the owner's node.</summary>
    public const int MaxMembers = SharingGroups.MaxMembers + 1;

    private static readonly JsonWriterOptions Writer = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ReferencePush _push = new("sharing groups", Id);

    /// <summary>
    /// Sends the groups the partner should hold and does not yet (see <see cref="ReferencePush"/>): when one is refused
    /// the round goes on, and its objects stay unseen there.
    /// </summary>
    internal async Task<(string? Failure, string? Note)> PushAsync(RibatDatabase database, TaxiiClient client, Partner partner, string collectionId, Guid localNode, CancellationToken cancellationToken)
    {
        List<(Guid Id, string Fingerprint, byte[] Json)> current;
        await using (var db = database.Open(Tenancy.TenantScope.NodeWide("partner sync")))
        {
            current = await OutboundAsync(db, partner, localNode, cancellationToken);
        }

        return await _push.SendAsync(client, partner, collectionId, current, cancellationToken);
    }

    /// <summary>
    /// The groups of this node's organisations that the partner's egress rules let objects go to, each as the partner
    /// node may see it. A group whose members there were all removed is still sent, with none: that is how the partner
    /// learns they left.
    /// </summary>
    internal static async Task<List<(Guid Id, string Fingerprint, byte[] Json)>> OutboundAsync(RibatDbContext db, Partner partner, Guid localNode, CancellationToken cancellationToken)
    {
        if (!partner.AllowedDistributions.Contains(PartnerRules.SharingGroup) || partner.AllowedSharingGroups.Count == 0)
        {
            return [];
        }

        var allowed = partner.AllowedSharingGroups.ToList();
        var node = partner.NodeId;
        var groups = await db.SharingGroups.IgnoreQueryFilters().AsNoTracking().Include(g => g.Members)
            .Where(g => g.OwnerNode == null && allowed.Contains(g.Id))
            .OrderBy(g => g.Id)
            .ToListAsync(cancellationToken);
        var viewer = Viewer.PartnerNode(node, groups.Select(g => g.Id).ToList(), [localNode]);
        return groups.Select(g =>
        {
            var policy = g.ToPolicyGroup(localNode);
            var json = Write(g, policy.Owner, new SharingGroupView(policy).MembersVisibleTo(viewer));
            return (g.Id, Convert.ToHexStringLower(SHA256.HashData(json)), json);
        }).ToList();
    }

    public static string Id(Guid group) => $"{StixType}--{group}";

    private static byte[] Write(SharingGroupRecord group, OrganisationRef owner, IReadOnlyList<OrganisationRef> members)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, Writer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", StixType);
            writer.WriteString("spec_version", "2.1");
            writer.WriteString("id", Id(group.Id));
            writer.WriteString("created", StixTimestamp.FromDateTime(group.CreatedAt.UtcDateTime, 3).ToString());
            writer.WriteString("modified", StixTimestamp.FromDateTime(group.UpdatedAt.UtcDateTime, 3).ToString());
            writer.WriteString("name", group.Name);
            writer.WriteBoolean("confidential", group.Confidential);
            writer.WriteString("owner_organisation", owner.Id.ToString());
            writer.WriteString("owner_node", owner.Node.ToString());
            writer.WriteStartArray("members");
            foreach (var member in members.Where(m => m != owner))
            {
                writer.WriteStartObject();
                writer.WriteString("organisation", member.Id.ToString());
                writer.WriteString("node", member.Node.ToString());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Keeps a group a partner sent, in the caller's transaction: the partner must own it (its node is the owner's), it
    /// may not be one of this node's own groups, and a newer or equal <c>modified</c> replaces what is held. Members
    /// hosted here become local members; the rest keep their node. Null when stored, else why it was refused.
    /// </summary>
    internal static async Task<(IntakeState State, string? Reason)> StoreAsync(RibatDbContext db, Partner partner, JsonElement element, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Read(element, partner, out var incoming, out var reason))
        {
            return (IntakeState.Refused, reason);
        }

        var held = await db.SharingGroups.IgnoreQueryFilters().Include(g => g.Members).FirstOrDefaultAsync(g => g.Id == incoming.Id, cancellationToken);
        if (held is not null && held.OwnerNode != partner.NodeId)
        {
            return (IntakeState.Refused, held.OwnerNode is null
                ? "this sharing group belongs to an organisation of this node; a partner never changes it"
                : "this sharing group belongs to another node; a partner sends only its own groups");
        }

        if (held is not null && held.UpdatedAt > incoming.Modified)
        {
            return (IntakeState.AlreadyHeld, null);
        }

        var now = clock.GetUtcNow();
        if (held is null)
        {
            held = new SharingGroupRecord { Id = incoming.Id, Name = incoming.Name, CreatedAt = incoming.Created };
            db.SharingGroups.Add(held);
        }

        held.Name = incoming.Name;
        held.OwnerOrganisationId = incoming.Owner;
        held.OwnerNode = partner.NodeId;
        held.Confidential = incoming.Confidential;
        held.UpdatedAt = incoming.Modified;
        var wanted = incoming.Members
            .Where(m => m.Organisation != incoming.Owner)
            .Select(m => (m.Organisation, Node: m.Node == localNode ? (Guid?)null : m.Node))
            .Distinct()
            .ToList();
        held.Members.RemoveAll(m => !wanted.Contains((m.OrganisationId, m.OrganisationNode)));
        foreach (var (organisation, node) in wanted.Where(w => !held.Members.Any(m => m.OrganisationId == w.Organisation && m.OrganisationNode == w.Node)))
        {
            held.Members.Add(new SharingGroupMembership { SharingGroupId = held.Id, OrganisationId = organisation, OrganisationNode = node, AddedAt = now });
        }

        return (IntakeState.Added, null);
    }

    private sealed record Incoming(Guid Id, string Name, bool Confidential, Guid Owner, DateTimeOffset Created, DateTimeOffset Modified, IReadOnlyList<(Guid Organisation, Guid Node)> Members);

    private static bool Read(JsonElement element, Partner partner, out Incoming incoming, out string? reason)
    {
        incoming = null!;
        var id = StixIntake.Text(element, "id");
        if (!StixIdentifier.TrySplit(id, out var type, out var groupId) || type != StixType)
        {
            reason = $"a sharing group's id must be {StixType}--<uuid>";
            return false;
        }

        if (!Guid.TryParse(StixIntake.Text(element, "owner_node"), out var ownerNode) || ownerNode != partner.NodeId)
        {
            reason = "a sharing group must be owned on the sending partner's node";
            return false;
        }

        if (!Guid.TryParse(StixIntake.Text(element, "owner_organisation"), out var owner))
        {
            reason = "owner_organisation must be an organisation id";
            return false;
        }

        var name = StixIntake.Text(element, "name")?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200 || name.Any(char.IsControl))
        {
            reason = "name must be 1 to 200 printable characters";
            return false;
        }

        if (StixIntake.Text(element, "created") is not { } createdText || !StixTimestamp.TryParse(createdText, out var created, out _)
            || StixIntake.Text(element, "modified") is not { } modifiedText || !StixTimestamp.TryParse(modifiedText, out var modified, out _))
        {
            reason = "created and modified must be STIX timestamps";
            return false;
        }

        if (!element.TryGetProperty("members", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxMembers)
        {
            reason = $"members must be a list of at most {MaxMembers} organisations";
            return false;
        }

        var members = new List<(Guid, Guid)>();
        foreach (var member in list.EnumerateArray())
        {
            if (member.ValueKind != JsonValueKind.Object || !Guid.TryParse(StixIntake.Text(member, "organisation"), out var organisation) || !Guid.TryParse(StixIntake.Text(member, "node"), out var node))
            {
                reason = "each member must name an organisation and its node by id";
                return false;
            }

            members.Add((organisation, node));
        }

        var confidential = element.TryGetProperty("confidential", out var flag) && flag.ValueKind == JsonValueKind.True;
        incoming = new Incoming(groupId, name, confidential, owner, new DateTimeOffset(created.UtcDateTime), new DateTimeOffset(modified.UtcDateTime), members);
        reason = null;
        return true;
    }
}
