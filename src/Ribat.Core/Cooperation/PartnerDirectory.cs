using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Federation;
using Ribat.Core.Federation.Sync;
using Ribat.Core.Sharing;
using Ribat.Core.Tenancy;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;

namespace Ribat.Core.Cooperation;

/// <summary>
/// The 24/7 directory between nodes. Each change of a contact here adds a version of <c>x-ribat-contact-point</c>,
/// owned by its organisation, TLP:GREEN to connected communities, so it reaches every partner whose egress rules allow
/// that (a removal is a last version with <c>revoked</c>). A partner's contacts are kept apart
/// (<see cref="PartnerContactPoint"/>), shown read-only with their node, and changed only by a newer version from the
/// node hosting their organisation, about that organisation.
/// </summary>
internal sealed class PartnerDirectory(AuditTrail audit) : IPartnerObjects
{
    public const string StixType = "x-ribat-contact-point";

    public IReadOnlyCollection<string> StixTypes { get; } = [StixType];

    public static string StixId(Guid contact) => $"{StixType}--{contact}";

    /// <summary>Adds the contact's version as it stands now (or its removal) in the caller's transaction.</summary>
    public static async Task WriteAsync(RibatDbContext db, ContactPoint row, bool removed, Guid? user, Guid localNode, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var previous = await StixMirror.LastVersionAsync(db, StixId(row.Id), cancellationToken);
        var modified = StixMirror.NextModified(now, previous);

        // The id is a UUIDv7: its first 48 bits are when the contact was created, which stays the same on every version.
        var born = DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(row.Id.ToString("N")[..12], 16));
        var created = StixTimestamp.Parse(modified).UtcDateTime < born.UtcDateTime ? modified : DeliveryReceipts.Timestamp(born);
        var stix = new JsonObject
        {
            ["type"] = StixType,
            ["spec_version"] = "2.1",
            ["id"] = StixId(row.Id),
            ["created"] = created,
            ["modified"] = modified,
            ["organisation"] = row.OrganisationId.ToString(),
            ["contact_name"] = row.Name,
            ["time_zone"] = row.TimeZone,
            ["languages"] = new JsonArray([.. row.Languages.Select(l => (JsonNode?)JsonValue.Create(l))]),
            ["always"] = row.Always,
        };
        foreach (var (name, value) in new[] { ("role", row.Role), ("email", row.Email), ("phone", row.Phone), ("public_key", row.PublicKey) })
        {
            if (value is not null)
            {
                stix[name] = value;
            }
        }

        if (removed)
        {
            stix["revoked"] = true;
        }

        var owner = new OrganisationRef(row.OrganisationId, localNode);
        await StixMirror.CustomAsync(db, stix, new SharingTerms(owner, Tlp.Green, Pap.Green, Distribution.ConnectedCommunities), user, localNode, clock, cancellationToken);
    }

    public async Task<string?> ReceiveAsync(RibatDbContext db, PartnerObject received, CancellationToken cancellationToken)
    {
        var stix = received.Stix;
        if (!StixIdentifier.TrySplit(StixIntake.Text(stix, "id"), out _, out var id))
        {
            return $"id must be {StixType}--<uuid>";
        }

        var owner = received.Terms.Owner;
        if (!Guid.TryParse(StixIntake.Text(stix, "organisation"), out var organisation) || organisation != owner.Id)
        {
            return $"a partner node describes only its own organisations' contacts; organisation must be its owner {owner.Id}";
        }

        if (await db.ContactPoints.IgnoreQueryFilters().AnyAsync(c => c.Id == id, cancellationToken))
        {
            return "this contact belongs to an organisation of this node; a partner never changes it";
        }

        var held = await db.PartnerContactPoints.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (held is not null && (held.NodeId != received.Partner.NodeId || held.OrganisationId != organisation))
        {
            return $"contact {id} is held for another organisation; a partner changes only its own organisations' contacts";
        }

        if (StixIntake.Text(stix, "modified") is not { } text || !StixTimestamp.TryParse(text, out var stamp, out _))
        {
            return "modified must be a STIX timestamp";
        }

        var modified = new DateTimeOffset(stamp.UtcDateTime);
        if (held is not null && held.Modified >= modified)
        {
            return null;
        }

        var revoked = stix.TryGetProperty("revoked", out var revokedElement) && revokedElement.ValueKind == JsonValueKind.True;
        if (revoked)
        {
            if (held is not null)
            {
                db.PartnerContactPoints.Remove(held);
                Audit(db, received, id, organisation, "removed");
            }

            return null;
        }

        if (Read(stix, out var input) is { } invalid)
        {
            return invalid;
        }

        var checkedInput = ContactDirectory.Validate(input, out var zone);
        if (!checkedInput.IsValid)
        {
            var error = checkedInput.ToError();
            return string.Join("; ", error.Fields!.Select(f => $"{f.Key}: {f.Value[0]}"));
        }

        var added = held is null;
        held ??= new PartnerContactPoint { Id = id, NodeId = received.Partner.NodeId, OrganisationId = organisation, Name = string.Empty, TimeZone = string.Empty };
        held.PartnerId = received.Partner.Id;
        held.Name = input.Name!.Trim();
        held.Role = Blank(input.Role);
        held.Email = Blank(input.Email);
        held.Phone = Blank(input.Phone);
        held.Languages = (input.Languages ?? []).Select(l => l.Trim().ToLowerInvariant()).Distinct().ToList();
        held.TimeZone = zone!;
        held.PublicKey = Blank(input.PublicKey);
        held.Always = input.Always;
        held.Modified = modified;
        held.ReceivedAt = received.Now;
        if (added)
        {
            db.PartnerContactPoints.Add(held);
        }

        Audit(db, received, id, organisation, added ? "added" : "changed");
        return null;
    }

    private void Audit(RibatDbContext db, PartnerObject received, Guid id, Guid organisation, string what) =>
        audit.Add(db, new Actor(null, $"partner node {received.Partner.Name}", null, new HashSet<string>()), AuditEvents.PartnerContactReceived, null, "contact-point", id.ToString(),
            new { partner = received.Partner.Id, node = received.Partner.NodeId, organisation, what });

    /// <summary>The contact's properties as the form would take them; wrong JSON kinds are refused here, values by the form's rules.</summary>
    private static string? Read(JsonElement stix, out ContactPointInput input)
    {
        input = null!;
        var languages = new List<string>();
        if (stix.TryGetProperty("languages", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > 20 || list.EnumerateArray().Any(l => l.ValueKind != JsonValueKind.String))
            {
                return "languages must be a list of at most 20 language codes";
            }

            languages.AddRange(list.EnumerateArray().Select(l => l.GetString()!));
        }

        var always = stix.TryGetProperty("always", out var alwaysElement) && alwaysElement.ValueKind == JsonValueKind.True;
        foreach (var name in new[] { "contact_name", "role", "email", "phone", "time_zone", "public_key" })
        {
            if (stix.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                return $"{name} must be text";
            }
        }

        var email = StixIntake.Text(stix, "email");
        if (email is not null && email.Any(char.IsControl))
        {
            return "email must not contain control characters";
        }

        input = new ContactPointInput(StixIntake.Text(stix, "contact_name"), StixIntake.Text(stix, "role"), email, StixIntake.Text(stix, "phone"),
            languages, StixIntake.Text(stix, "time_zone"), StixIntake.Text(stix, "public_key"), always);
        return null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
