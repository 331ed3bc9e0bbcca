using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ribat.Core.Audit;
using Ribat.Core.Data;
using Ribat.Core.Federation.Partners;
using Ribat.Core.Node;
using Ribat.Core.Tenancy;
using Ribat.Stix.Taxii.Client;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// One sync round with one partner: find its collection for us, pull, send this node's organisations and the sharing groups it should hold, push. A failure is recorded on the partner (a
/// sentence for its page, an audit row when it is a new one) and backs the partner off; a success clears the back-off.
/// </summary>
public sealed class SyncPartner(
    RibatDatabase database,
    LocalNode node,
    PartnerCredentials credentials,
    INodeSignature signature,
    PartnerHttp http,
    AuditTrail audit,
    PartnerObjectHandlers handlers,
    IOptions<FederationSyncOptions> options,
    TimeProvider clock)
{
    private readonly PullFromPartner _pull = new(database, audit, handlers, clock);
    private readonly PushToPartner _push = new(database, audit, clock);
    private readonly SharingGroupExchange _groups = new();
    private readonly OrganisationExchange _organisations = new(clock);

    /// <summary>True when the round went through; false when it failed (the failure is on the partner's sync state).</summary>
    public async Task<bool> RunAsync(Guid partnerId, CancellationToken cancellationToken = default)
    {
        var local = await node.IdAsync(cancellationToken);
        Partner? partner;
        string? collection;
        await using (var db = database.Open(TenantScope.NodeWide("partner sync")))
        {
            partner = await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == partnerId && p.Enabled, cancellationToken);
            collection = await db.PartnerSyncStates.AsNoTracking().Where(s => s.PartnerId == partnerId).Select(s => s.RemoteCollectionId).FirstOrDefaultAsync(cancellationToken);
        }

        if (partner is null || !signature.IsReady)
        {
            return true;
        }

        var secret = credentials.Unprotect(partner);
        if (secret is null)
        {
            return await FailAsync(partner, "the stored credential for this partner cannot be decrypted (the data-protection keys changed); enter it again", cancellationToken);
        }

        var settings = options.Value;
        var client = new TaxiiClient(http.Client, new TaxiiClientOptions
        {
            UserName = partner.OutboundUser,
            Secret = secret,
            Timeout = settings.RequestTimeout,
            SignBody = signature.Sign,
        });
        if (collection is null)
        {
            var found = await FindCollectionAsync(client, partner, cancellationToken);
            if (found.Failure is { } notFound)
            {
                return await FailAsync(partner, notFound, cancellationToken);
            }

            collection = found.Id!;
        }

        var pulled = await _pull.RunAsync(client, partner, collection, local, settings.PageSize, cancellationToken);
        if (pulled is not null)
        {
            return await FailAsync(partner, pulled, cancellationToken);
        }

        // Organisations first, so the partner can name them; then groups, so the members there can see a group's objects as soon as they arrive.
        var (organisationsFailed, organisationsNote) = await _organisations.PushAsync(database, client, partner, collection, local, cancellationToken);
        if (organisationsFailed is not null)
        {
            return await FailAsync(partner, organisationsFailed, cancellationToken);
        }

        var (groupsFailed, groupsNote) = await _groups.PushAsync(database, client, partner, collection, local, cancellationToken);
        if (groupsFailed is not null)
        {
            return await FailAsync(partner, groupsFailed, cancellationToken);
        }

        var (pushed, note) = await _push.RunAsync(client, partner, collection, local, settings.PageSize, cancellationToken);
        if (pushed is not null)
        {
            return await FailAsync(partner, pushed, cancellationToken);
        }

        note ??= groupsNote ?? organisationsNote;

        await SucceedAsync(partner.Id, collection, note, cancellationToken);
        return true;
    }

    /// <summary>The partner's collection this node may both read and write (a Ribat partner offers exactly one).</summary>
    private static async Task<(string? Id, string? Failure)> FindCollectionAsync(TaxiiClient client, Partner partner, CancellationToken cancellationToken)
    {
        var listed = await client.GetCollectionsAsync(partner.ApiRoot, cancellationToken);
        if (listed.Failure is { } failure)
        {
            return (null, $"listing the collections at {partner.ApiRoot} failed: {failure.Message}");
        }

        var usable = listed.Value!.Collections?.FirstOrDefault(c => c.CanRead && c.CanWrite);
        return usable is null
            ? (null, $"{partner.ApiRoot} offers this node no collection it may both read and write; ask the partner to record this node")
            : (usable.Id, null);
    }

    private async Task SucceedAsync(Guid partnerId, string collection, string? note, CancellationToken cancellationToken)
    {
        await using var db = database.Open(TenantScope.NodeWide("partner sync"));
        var state = await SyncStates.GetOrAddAsync(db, partnerId, cancellationToken);
        state.RemoteCollectionId = collection;
        state.Failures = 0;
        state.NextAttemptAt = null;
        if (note is not null)
        {
            state.LastError = note;
            state.LastErrorAt = clock.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<bool> FailAsync(Partner partner, string message, CancellationToken cancellationToken)
    {
        await using var db = database.Open(TenantScope.NodeWide("partner sync"));
        var state = await SyncStates.GetOrAddAsync(db, partner.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var text = message.Length <= 1000 ? message : message[..1000] + "…";

        // A partner offline for a day fails every few minutes; the trail records each new kind of failure, not each retry.
        if (state.Failures == 0 || state.LastError != text)
        {
            audit.Add(db, Actor.System($"partner sync ({partner.Name})"), AuditEvents.PartnerSyncFailed, null, "partner", partner.Id.ToString(), new { error = text, failures = state.Failures + 1 });
        }

        state.Failures++;
        state.LastError = text;
        state.LastErrorAt = now;
        state.NextAttemptAt = now + options.Value.BackoffAfter(state.Failures);

        // The partner may have been re-created on its side: look its collection up again next time.
        if (state.Failures >= 3)
        {
            state.RemoteCollectionId = null;
        }

        await db.SaveChangesAsync(cancellationToken);
        return false;
    }
}
