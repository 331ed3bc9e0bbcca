using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Evidence;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Cooperation;

public sealed class CooperationOptions
{
    /// <summary>The largest attachment accepted, in bytes. Larger material travels as evidence in a case.</summary>
    public long MaxAttachmentBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>How often the clock sweep looks for due and missed deadlines.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Adds a file to a request, streamed into the content store: the requester while it is open, the addressed
/// organisation with its answer. A file over the size limit is refused with the limit named, and nothing is kept.
/// </summary>
public sealed class AddAttachment(SharingAccess sharing, AuditTrail audit, ContentStore store, RibatDatabase database, IOptions<CooperationOptions> options, TimeProvider clock)
{
    public long MaxBytes => options.Value.MaxAttachmentBytes;

    public async Task<Result<AttachmentDto>> HandleAsync(Actor actor, Guid id, string? fileName, Stream content, CancellationToken cancellationToken = default)
    {
        await using var session = await sharing.OpenAsync(actor, cancellationToken);
        var found = await CooperationRules.PartyToChangeAsync(session, actor, id, "add files to a request", cancellationToken);
        if (found.Value is not { } request)
        {
            return found.Error!;
        }

        var (row, parties, viewer) = request;

        var requester = parties.Contains(RequestParty.Requester);
        if (row.Status is RequestStatus.Closed or RequestStatus.Withdrawn || (!requester && row.Status == RequestStatus.Draft))
        {
            return Error.Conflict($"The request is {row.Status.Spell()}; files are added while it is open.");
        }

        var name = Path.GetFileName(fileName?.Trim() ?? string.Empty);
        if (name.Length is 0 or > 255 || name.Any(char.IsControl))
        {
            return Error.Validation("fileName", "An attachment needs a file name of 1 to 255 printable characters.");
        }

        var limited = new LimitedRead(content, MaxBytes);
        Result<FileDigests> stored;
        try
        {
            stored = await store.IngestAsync(limited, cancellationToken);
        }
        catch (AttachmentTooLargeException)
        {
            return TooLarge(MaxBytes);
        }

        if (stored.Error is { } full)
        {
            return full;
        }

        var digests = stored.Value!;
        var now = clock.GetUtcNow();
        var attachment = new RequestAttachment
        {
            Id = Guid.CreateVersion7(),
            RequestId = row.Id,
            OrganisationId = viewer.Id,
            FileName = name,
            Size = digests.Size,
            Sha256 = digests.Sha256,
            AddedBy = actor.UserId,
            AddedAt = now,
        };
        session.Db.RequestAttachments.Add(attachment);
        var step = CooperationRules.Event(row, actor, viewer.Id, RequestEventKind.AttachmentAdded, now, note: $"{name} ({digests.Size:N0} bytes, SHA-256 {digests.Sha256})");
        session.Db.RequestEvents.Add(step);
        CooperationRules.Audit(audit, session.Db, actor, AuditEvents.RequestAttachmentAdded, row, new { attachment = attachment.Id, size = digests.Size, sha256 = digests.Sha256 });
        try
        {
            await using var transaction = await session.Db.Database.BeginTransactionAsync(cancellationToken);
            if (CooperationExchange.Crosses(row, session.LocalNode) && row.Status != RequestStatus.Draft)
            {
                // The file travels with its bytes; it is at most the attachment limit, so it is read whole.
                var bytes = await File.ReadAllBytesAsync(store.PathOf(digests.Sha256), cancellationToken);
                await CooperationExchange.EventAsync(session.Db, row, step, new CooperationExchange.FileContent(attachment, bytes), null, session.LocalNode, clock, cancellationToken);
            }

            await session.Db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            await UnnamedContent.DiscardAsync(database, store, [digests.Sha256]);
            throw;
        }

        return new AttachmentDto(attachment.Id, attachment.FileName, attachment.Size, attachment.Sha256, attachment.OrganisationId, attachment.AddedAt);
    }

    public static Error TooLarge(long limit) =>
        Error.Validation("file", $"An attachment is at most {limit / (1024 * 1024):N0} MB; send larger material as evidence in a case.");

    /// <summary>Reads through to the source and stops the copy once more than the limit has arrived.</summary>
    private sealed class LimitedRead(Stream source, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(source.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await source.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw new AttachmentTooLargeException() : read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class AttachmentTooLargeException : Exception;
}
