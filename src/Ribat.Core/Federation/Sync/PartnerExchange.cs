using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Node;
using Ribat.Core.Tenancy;
using Ribat.Stix.Signing;
using Ribat.Stix.Taxii;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// The one TAXII collection a partner node has on this node: it reads what may leave for it (the sharing policy for
/// the partner node, narrowed by its egress rules) and posts its own organisations' objects, signed with its key.
/// The collection's id is the partner's id here, so it never changes while the partner is recorded.
/// </summary>
public sealed class PartnerExchange(RibatDatabase database, LocalNode node, AuditTrail audit, PartnerObjectHandlers handlers, TimeProvider clock)
{
    /// <summary>The partner's collection, as the TAXII server lists it.</summary>
    public static StixCollection CollectionFor(AuthenticatedPartner partner) => new(
        partner.Id,
        StixCollectionKind.Partner,
        $"Exchange with this node ({partner.Name})",
        "What this node shares with your node under its sharing policy; post your own organisations' objects here, signed with your node key.",
        CanRead: true,
        CanWrite: true);

    public static Actor ActorFor(AuthenticatedPartner partner) => new(null, $"partner node {partner.Name}", null, new HashSet<string>());

    /// <summary>A page of what may leave for the partner, in <c>date_added</c> order, filtered as the query says.</summary>
    public async Task<StoredPage> PageAsync(AuthenticatedPartner caller, StixObjectQuery query, bool withJson, string audited, CancellationToken cancellationToken = default)
    {
        var local = await node.IdAsync(cancellationToken);
        await using var db = database.Open(TenantScope.NodeWide("partner exchange"));
        var partner = await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == caller.Id && p.Enabled, cancellationToken);
        if (partner is null)
        {
            return new StoredPage([], false);
        }

        var egress = await PartnerEgress.ForAsync(db, partner, local, cancellationToken);

        // The policy runs per version after the SQL pre-filter; only what enters the page names the recipients the partner hosts.
        var (page, more) = await StoredVersions.PageAsync(db, egress.Scope(db), query, local, withJson, cancellationToken,
            keep: rows => egress.EligibleAsync(db, rows, cancellationToken));
        if (withJson)
        {
            page = await egress.OutgoingAsync(db, page, cancellationToken);
        }

        if (page.Count > 0)
        {
            await audit.WriteLookupAsync(ActorFor(caller), AuditEvents.PartnerObjectsServed, null, "partner", partner.Id.ToString(),
                new { read = audited, objects = page.Count, first = page[0].DateAdded, last = page[^1].DateAdded }, cancellationToken);
        }

        return new StoredPage(page.Select(r => new StoredVersion(r.StixId, r.Version, r.SpecVersion, r.DateAdded, withJson ? r.Json : string.Empty)).ToList(), more);
    }

    /// <summary>
    /// Stores a partner's push: the body must carry its node's signature (ADR 0012), checked with the key recorded for
    /// it, before anything is read. Each object is then stored or refused on its own; the answer is a TAXII status.
    /// </summary>
    public async Task<Result<TaxiiStatus>> ReceiveAsync(AuthenticatedPartner caller, ReadOnlyMemory<byte> body, string? signature, CancellationToken cancellationToken = default)
    {
        var check = Verify(caller.PublicKeyPem, body, signature);
        if (!check.IsValid)
        {
            await audit.WriteAsync(ActorFor(caller), AuditEvents.PartnerPayloadRefused, null, "partner", caller.Id.ToString(), new { direction = "push", reason = check.Message }, cancellationToken);
            return Error.Forbidden($"The payload's signature does not hold: {check.Message}");
        }

        if (!TaxiiJson.TryRead<TaxiiEnvelope>(body.Span, out var envelope, out var error) || envelope!.Objects is not { Count: > 0 } objects)
        {
            return Error.Validation("body", $"The body is not a TAXII envelope with objects: {error ?? "it holds none"}");
        }

        var local = await node.IdAsync(cancellationToken);
        var requestedAt = clock.GetUtcNow();
        await using var db = database.Open(TenantScope.NodeWide("partner exchange"));
        var partner = await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == caller.Id && p.Enabled, cancellationToken);
        if (partner is null)
        {
            return Error.Forbidden("The partner is disabled.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outcome = await PartnerIngress.StoreAsync(db, partner, objects, local, handlers, clock, cancellationToken);
        var successes = outcome.Results.Where(r => r.State != IntakeState.Refused).Select(r => new TaxiiStatusDetails(r.StixId ?? "(no id)", r.Version ?? string.Empty)).ToList();
        var failures = outcome.Refused.Select(r => new TaxiiStatusDetails(r.StixId ?? "(no id)", string.Empty, r.Reason)).ToList();
        var (status, row) = TaxiiStatusRecord.Completed(partner.Id, requestedAt, objects.Count, successes, failures);
        db.TaxiiStatuses.Add(row);
        audit.Add(db, ActorFor(caller), AuditEvents.PartnerObjectsReceived, null, "partner", partner.Id.ToString(),
            new { total = objects.Count, added = outcome.Added, alreadyHeld = outcome.AlreadyHeld, refused = failures.Count, status = status.Id, keyId = check.KeyId });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return status;
    }

    internal static SignatureCheck Verify(string publicKeyPem, ReadOnlyMemory<byte> body, string? signature)
    {
        using var key = PublicKeys.TryReadP256(publicKeyPem, out var problem);
        return key is null
            ? new SignatureCheck(SignatureFailure.WrongKey, $"the partner's recorded public key cannot be read: {problem}", null)
            : PayloadSignature.Verify(body, signature, key);
    }
}
