using Microsoft.EntityFrameworkCore;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Evidence;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

/// <summary>Requests the actor's organisation sent or received. Reading one (its facts name people) is audited on both sides.</summary>
public sealed class ReadRequests(SharingAccess sharing, AuditTrail audit, ContentStore store, TimeProvider clock)
{
    public async Task<Result<RequestDto>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.CooperationRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The request");
        }

        await audit.WriteLookupAsync(actor, AuditEvents.RequestRead, session.Organisation?.Id, CooperationRules.TargetType, row.Id.ToString(), cancellationToken: cancellationToken);
        return (await CooperationRules.ToDtosAsync(session, actor, [row], clock.GetUtcNow(), details: true, cancellationToken))[0];
    }

    /// <param name="box"><c>sent</c>, <c>received</c>, or null for both.</param>
    public async Task<Result<Page<RequestDto>>> ListAsync(Actor actor, string? box, string? status, string? type, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        var page = Cursor.ReadGuidPage(cursor, limit);
        if (page.Error is { } badPage)
        {
            return badPage;
        }

        if (box is not (null or "" or "sent" or "received"))
        {
            return Error.Validation("box", $"'{box}' is not a box (sent, received).");
        }

        RequestStatus? wantedStatus = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!RequestStatusMachine.TryParse(status, out var s))
            {
                return Error.Validation("status", $"'{status}' is not a request status ({RequestStatusMachine.Choices}).");
            }

            wantedStatus = s;
        }

        RequestType? wantedType = null;
        if (!string.IsNullOrWhiteSpace(type))
        {
            if (!RequestForms.TryParse(type, out var t))
            {
                return Error.Validation("type", $"'{type}' is not a request type ({RequestForms.Choices}).");
            }

            wantedType = t;
        }

        var (before, take) = page.Value;
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var organisation = session.Organisation?.Id ?? Guid.Empty;
        var rows = session.Db.CooperationRequests.AsNoTracking();
        rows = box switch
        {
            "sent" => rows.Where(r => r.OwnerOrganisationId == organisation),
            "received" => rows.Where(r => r.AddressedOrganisationId == organisation),
            _ => rows,
        };
        if (wantedStatus is { } ws)
        {
            rows = rows.Where(r => r.Status == ws);
        }

        if (wantedType is { } wt)
        {
            rows = rows.Where(r => r.Type == wt);
        }

        if (before is { } last)
        {
            rows = rows.Where(r => r.Id.CompareTo(last) < 0);
        }

        var found = await rows.OrderByDescending(r => r.Id).Take(take + 1).ToListAsync(cancellationToken);
        var items = await CooperationRules.ToDtosAsync(session, actor, found.Take(take).ToList(), clock.GetUtcNow(), details: false, cancellationToken);
        return new Page<RequestDto>(items, found.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }

    /// <summary>Opens an attachment of a request the actor's organisation is party to, after checking its hash; the read is audited.</summary>
    public async Task<Result<(AttachmentDto Attachment, Stream Content)>> OpenAttachmentAsync(Actor actor, Guid requestId, Guid attachmentId, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var row = await session.Db.RequestAttachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId && a.RequestId == requestId, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("The attachment");
        }

        var digests = await store.DigestAsync(row.Sha256, cancellationToken);
        if (digests is null || digests.Sha256 != row.Sha256)
        {
            return Error.Conflict("The stored file no longer matches the SHA-256 recorded when it was attached.");
        }

        await audit.WriteAsync(actor, AuditEvents.RequestAttachmentRead, session.Organisation?.Id, CooperationRules.TargetType, requestId.ToString(), new { attachment = row.Id, sha256 = row.Sha256 }, cancellationToken);
        return (new AttachmentDto(row.Id, row.FileName, row.Size, row.Sha256, row.OrganisationId, row.AddedAt), store.OpenRead(row.Sha256));
    }
}
