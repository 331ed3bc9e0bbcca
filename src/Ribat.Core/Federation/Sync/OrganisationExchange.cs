using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Data;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Tenancy;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;
using Ribat.Stix.Taxii.Client;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// Tells each partner node which organisations this node hosts, so its users can name them (a sharing group's members on
/// another node) and read their names where only ids travel. An organisation travels as a custom STIX object,
/// <c>x-ribat-organisation</c>, pushed signed to the partner's exchange collection at the start of each round: its id,
/// name, country and kind, never its contacts, users or settings — what the node's own directory shows its members.
/// The receiving node keeps it as the partner's (<see cref="PartnerOrganisation"/>); a partner describes only the
/// organisations of its own node, never one of this node's.
/// </summary>
public sealed class OrganisationExchange(TimeProvider clock)
{
    public const string StixType = "x-ribat-organisation";

    public const int MaxName = Tenancy.Organisations.OrganisationRules.MaxName;

    private static readonly JsonWriterOptions Writer = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ReferencePush _push = new("this node's organisations", Id);

    /// <summary>Sends the organisations the partner does not hold as they are now (see <see cref="ReferencePush"/>).</summary>
    internal async Task<(string? Failure, string? Note)> PushAsync(RibatDatabase database, TaxiiClient client, Partner partner, string collectionId, Guid localNode, CancellationToken cancellationToken)
    {
        List<(Guid Id, string Fingerprint, byte[] Json)> current;
        await using (var db = database.Open(TenantScope.NodeWide("partner sync")))
        {
            current = await OutboundAsync(db, localNode, clock.GetUtcNow(), cancellationToken);
        }

        return await _push.SendAsync(client, partner, collectionId, current, cancellationToken);
    }

    /// <summary>
    /// Every organisation this node hosts, as a partner node may know it, described at <paramref name="now"/>. The
    /// fingerprint covers what describes it, not the time: an unchanged organisation is not sent again.
    /// </summary>
    internal static async Task<List<(Guid Id, string Fingerprint, byte[] Json)>> OutboundAsync(RibatDbContext db, Guid localNode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var organisations = await db.Organisations.IgnoreQueryFilters().AsNoTracking()
            .OrderBy(o => o.Id)
            .Take(Tenancy.Organisations.ListOrganisationDirectory.MaxEntries)
            .Select(o => new { o.Id, o.Name, o.Country, o.Kind, o.CreatedAt })
            .ToListAsync(cancellationToken);
        return organisations.Select(o =>
        {
            var kind = OrganisationKinds.Spell(o.Kind);
            var fingerprint = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{o.Name}\n{o.Country}\n{kind}")));
            return (o.Id, fingerprint, Write(o.Id, localNode, o.Name, o.Country, kind, o.CreatedAt, now));
        }).ToList();
    }

    public static string Id(Guid organisation) => $"{StixType}--{organisation}";

    private static byte[] Write(Guid id, Guid node, string name, string country, string kind, DateTimeOffset created, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Writer))
        {
            // The organisation keeps no change time: "modified" is when this description was written, so the newest wins.
            writer.WriteStartObject();
            writer.WriteString("type", StixType);
            writer.WriteString("spec_version", "2.1");
            writer.WriteString("id", Id(id));
            writer.WriteString("created", StixTimestamp.FromDateTime(created.UtcDateTime, 3).ToString());
            writer.WriteString("modified", StixTimestamp.FromDateTime((now > created ? now : created).UtcDateTime, 3).ToString());
            writer.WriteString("name", name);
            writer.WriteString("country", country);
            writer.WriteString("organisation_kind", kind);
            writer.WriteString("node", node.ToString());
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Keeps an organisation a partner described, in the caller's transaction: it must be hosted on the partner's node
    /// and not be one of this node's; a description not older than the one held replaces it. Why it was refused, else null.
    /// </summary>
    internal static async Task<(IntakeState State, string? Reason)> StoreAsync(RibatDbContext db, Partner partner, JsonElement element, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Read(element, partner, out var incoming, out var reason))
        {
            return (IntakeState.Refused, reason);
        }

        if (await db.Organisations.IgnoreQueryFilters().AnyAsync(o => o.Id == incoming.Id, cancellationToken))
        {
            return (IntakeState.Refused, "this organisation is hosted on this node; a partner describes only its own");
        }

        var held = await db.PartnerOrganisations.IgnoreQueryFilters().FirstOrDefaultAsync(o => o.NodeId == partner.NodeId && o.Id == incoming.Id, cancellationToken);
        if (held is not null && held.Modified > incoming.Modified)
        {
            return (IntakeState.AlreadyHeld, null);
        }

        if (held is null)
        {
            held = new PartnerOrganisation { Id = incoming.Id, NodeId = partner.NodeId, Name = incoming.Name, Country = incoming.Country };
            db.PartnerOrganisations.Add(held);
        }

        held.PartnerId = partner.Id;
        held.Name = incoming.Name;
        held.Country = incoming.Country;
        held.Kind = incoming.Kind;
        held.Modified = incoming.Modified;
        held.ReceivedAt = clock.GetUtcNow();
        return (IntakeState.Added, null);
    }

    private sealed record Incoming(Guid Id, string Name, string Country, string? Kind, DateTimeOffset Modified);

    private static bool Read(JsonElement element, Partner partner, out Incoming incoming, out string? reason)
    {
        incoming = null!;
        var id = StixIntake.Text(element, "id");
        if (!StixIdentifier.TrySplit(id, out var type, out var organisationId) || type != StixType)
        {
            reason = $"an organisation's id must be {StixType}--<uuid>";
            return false;
        }

        if (!Guid.TryParse(StixIntake.Text(element, "node"), out var node) || node != partner.NodeId)
        {
            reason = "an organisation must be hosted on the sending partner's node";
            return false;
        }

        var name = StixIntake.Text(element, "name")?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxName || name.Any(char.IsControl))
        {
            reason = $"name must be 1 to {MaxName} printable characters";
            return false;
        }

        if (!Countries.TryNormalise(StixIntake.Text(element, "country"), out var country))
        {
            reason = "country must be an ISO 3166-1 alpha-2 code";
            return false;
        }

        if (StixIntake.Text(element, "modified") is not { } modifiedText || !StixTimestamp.TryParse(modifiedText, out var modified, out _))
        {
            reason = "modified must be a STIX timestamp";
            return false;
        }

        // A kind this node does not know is kept as unknown rather than refusing the organisation.
        var kind = OrganisationKinds.TryParse(StixIntake.Text(element, "organisation_kind"), out var known) ? OrganisationKinds.Spell(known) : null;
        incoming = new Incoming(organisationId, name, country, kind, new DateTimeOffset(modified.UtcDateTime));
        reason = null;
        return true;
    }
}
