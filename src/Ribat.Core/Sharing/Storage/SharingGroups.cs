using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Indicators;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Sharing.Storage;

/// <summary>A group's name, description, confidentiality and members; <see cref="PartnerMembers"/> absent keeps those already recorded.</summary>
public sealed record SharingGroupInput(string? Name, string? Description = null, bool Confidential = false, IReadOnlyList<Guid>? Members = null, IReadOnlyList<PartnerMemberInput>? PartnerMembers = null);

/// <summary>An organisation hosted on a partner node, by its id there and the partner's node id.</summary>
public sealed record PartnerMemberInput(Guid OrganisationId, Guid NodeId);

/// <summary>A member as one viewer may see it; <see cref="NodeId"/> is set for an organisation hosted on a partner node.</summary>
public sealed record SharingGroupMemberDto(Guid OrganisationId, string? Name, bool IsOwner, Guid? NodeId = null);

/// <summary>A group as one viewer may see it: in a confidential group a member sees only itself and the owner.</summary>
public sealed record SharingGroupDto(Guid Id, string Name, string? Description, bool Confidential, Guid OwnerOrganisationId, bool IsOwner, IReadOnlyList<SharingGroupMemberDto> Members, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Sharing groups: created and changed by their owner, seen by their members, invisible to everyone else.</summary>
public sealed class SharingGroups(SharingAccess sharing, AuditTrail audit, TimeProvider clock)
{
    public const int MaxMembers = 1000;

    public async Task<Result<SharingGroupDto>> CreateAsync(Actor actor, SharingGroupInput input, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        if (session.Organisation is not { } owner)
        {
            return Error.Forbidden("Sharing groups belong to an organisation; this actor has none.");
        }

        if (await ValidateAsync(session, input, owner.Id, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var name = input.Name!.Trim();
        if (await session.Db.SharingGroups.AnyAsync(g => g.OwnerOrganisationId == owner.Id && g.Name == name, cancellationToken))
        {
            return Error.Conflict($"Your organisation already has a sharing group named '{name}'.");
        }

        var now = clock.GetUtcNow();
        var group = new SharingGroupRecord { Id = Guid.CreateVersion7(), OwnerOrganisationId = owner.Id, Name = name, CreatedAt = now };
        Apply(group, input, owner.Id, now);
        session.Db.SharingGroups.Add(group);
        audit.Add(session.Db, actor, AuditEvents.SharingGroupCreated, owner.Id, "sharing-group", group.Id.ToString(), new { members = group.Members.Count, group.Confidential });
        await session.Db.SaveChangesAsync(cancellationToken);
        return await GetAsync(actor, group.Id, cancellationToken);
    }

    public async Task<Result<SharingGroupDto>> UpdateAsync(Actor actor, Guid id, SharingGroupInput input, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var group = await session.Db.SharingGroups.Include(g => g.Members).FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (group is null)
        {
            return Error.NotFound("The sharing group");
        }

        if (group.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that owns a sharing group changes it.");
        }

        if (await ValidateAsync(session, input, group.OwnerOrganisationId, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var name = input.Name!.Trim();
        if (await session.Db.SharingGroups.AnyAsync(g => g.OwnerOrganisationId == group.OwnerOrganisationId && g.Name == name && g.Id != id, cancellationToken))
        {
            return Error.Conflict($"Your organisation already has a sharing group named '{name}'.");
        }

        group.Name = name;
        Apply(group, input, group.OwnerOrganisationId, clock.GetUtcNow());
        audit.Add(session.Db, actor, AuditEvents.SharingGroupUpdated, group.OwnerOrganisationId, "sharing-group", group.Id.ToString(), new { members = group.Members.Count, group.Confidential });
        await session.Db.SaveChangesAsync(cancellationToken);
        return await GetAsync(actor, group.Id, cancellationToken);
    }

    /// <summary>A group still named by any object stays: deleting it would silently cut its members off.</summary>
    public async Task<Result<bool>> DeleteAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor) is { } refused)
        {
            return refused;
        }

        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var group = await session.Db.SharingGroups.FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (group is null)
        {
            return Error.NotFound("The sharing group");
        }

        if (group.OwnerOrganisationId != session.Organisation?.Id)
        {
            return Error.Forbidden("Only the organisation that owns a sharing group deletes it.");
        }

        var db = session.Db;
        var used = await db.Indicators.IgnoreQueryFilters().CountAsync(i => i.SharingGroupId == id, cancellationToken)
            + await db.Reports.IgnoreQueryFilters().CountAsync(r => r.SharingGroupId == id, cancellationToken)
            + await db.Sightings.IgnoreQueryFilters().CountAsync(s => s.SharingGroupId == id, cancellationToken);
        if (used > 0)
        {
            return Error.Conflict($"{used} object(s) are distributed to this group; change their distribution first.");
        }

        db.SharingGroups.Remove(group);
        audit.Add(db, actor, AuditEvents.SharingGroupDeleted, group.OwnerOrganisationId, "sharing-group", group.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<Result<SharingGroupDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var group = await session.Db.SharingGroups.AsNoTracking().Include(g => g.Members).FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
        return group is null ? Error.NotFound("The sharing group") : (await ToDtosAsync(session, [group], cancellationToken))[0];
    }

    /// <summary>The groups the actor's organisation owns or belongs to.</summary>
    public async Task<IReadOnlyList<SharingGroupDto>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var groups = await session.Db.SharingGroups.AsNoTracking().Include(g => g.Members).OrderBy(g => g.Name).Take(1000).ToListAsync(cancellationToken);
        return await ToDtosAsync(session, groups, cancellationToken);
    }

    private static async Task<List<SharingGroupDto>> ToDtosAsync(ContentSession session, List<SharingGroupRecord> groups, CancellationToken cancellationToken)
    {
        var visible = groups.Select(g => (Group: g, Members: session.Viewer is null ? [] : new SharingGroupView(g.ToPolicyGroup(session.LocalNode)).MembersVisibleTo(session.Viewer))).ToList();
        var names = await OrganisationNames.OfAsync(session.Db, visible.SelectMany(v => v.Members.Select(m => m.Id)), cancellationToken);
        return visible.Select(v => new SharingGroupDto(
            v.Group.Id,
            v.Group.Name,
            v.Group.Description,
            v.Group.Confidential,
            v.Group.OwnerOrganisationId,
            v.Group.OwnerOrganisationId == session.Organisation?.Id,
            v.Members.Select(m => new SharingGroupMemberDto(m.Id, names.GetValueOrDefault(m.Id), m.Id == v.Group.OwnerOrganisationId, m.Node == session.LocalNode ? null : m.Node)).ToList(),
            v.Group.CreatedAt,
            v.Group.UpdatedAt)).ToList();
    }

    private static async Task<Error?> ValidateAsync(ContentSession session, SharingGroupInput input, Guid owner, CancellationToken cancellationToken)
    {
        var v = new Validation()
            .Require(!string.IsNullOrWhiteSpace(input.Name), "name", "A sharing group needs a name.")
            .Require(input.Name is null || input.Name.Trim().Length <= 200, "name", "The name is at most 200 characters.")
            .RequirePrintable(input.Name, "name")
            .Require(input.Description is null || input.Description.Length <= 2000, "description", "The description is at most 2000 characters.")
            .Require(input.Members is null || input.Members.Count <= MaxMembers, "members", $"At most {MaxMembers} members.")
            .Require(input.PartnerMembers is null || input.PartnerMembers.Count <= MaxMembers, "partnerMembers", $"At most {MaxMembers} members on partner nodes.");
        if (!v.IsValid)
        {
            return v.ToError();
        }

        // A member elsewhere must be hosted by a recorded partner: objects for the group can reach no other node.
        var nodes = (input.PartnerMembers ?? []).Select(m => m.NodeId).Distinct().ToList();
        if (nodes.Count > 0)
        {
            var partners = await session.Db.Partners.IgnoreQueryFilters().Where(p => nodes.Contains(p.NodeId)).Select(p => p.NodeId).ToListAsync(cancellationToken);
            if (nodes.Where(n => !partners.Contains(n)).ToList() is [var unknownNode, ..])
            {
                return Error.Validation("partnerMembers", $"Node {unknownNode} is not a partner of this node; a node administrator records it first.");
            }
        }

        var wanted = (input.Members ?? []).Where(m => m != owner).Distinct().ToList();
        var known = await session.Db.Organisations.IgnoreQueryFilters().Where(o => wanted.Contains(o.Id)).Select(o => o.Id).ToListAsync(cancellationToken);
        var unknown = wanted.Except(known).ToList();
        return unknown.Count == 0 ? null : Error.Validation("members", $"No organisation on this node has the id {unknown[0]}.");
    }

    private static void Apply(SharingGroupRecord group, SharingGroupInput input, Guid owner, DateTimeOffset now)
    {
        group.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        group.Confidential = input.Confidential;
        group.UpdatedAt = now;
        var wanted = (input.Members ?? []).Where(m => m != owner).Distinct().ToHashSet();
        group.Members.RemoveAll(m => m.OrganisationNode is null && !wanted.Contains(m.OrganisationId));
        foreach (var organisation in wanted.Where(w => group.Members.All(m => m.OrganisationId != w)))
        {
            group.Members.Add(new SharingGroupMembership { SharingGroupId = group.Id, OrganisationId = organisation, AddedAt = now });
        }

        if (input.PartnerMembers is { } elsewhere)
        {
            var remote = elsewhere.Select(m => (m.OrganisationId, (Guid?)m.NodeId)).ToHashSet();
            group.Members.RemoveAll(m => m.OrganisationNode is not null && !remote.Contains((m.OrganisationId, m.OrganisationNode)));
            foreach (var (organisation, node) in remote.Where(r => group.Members.All(m => m.OrganisationId != r.OrganisationId)))
            {
                group.Members.Add(new SharingGroupMembership { SharingGroupId = group.Id, OrganisationId = organisation, OrganisationNode = node, AddedAt = now });
            }
        }
    }

    private static Error? Refuse(Actor actor) =>
        !IntelligenceRoles.MayWrite(actor)
            ? Error.Forbidden("Managing sharing groups needs the analyst, investigator, liaison or org-admin role.")
            : actor.RequireWrite();
}
