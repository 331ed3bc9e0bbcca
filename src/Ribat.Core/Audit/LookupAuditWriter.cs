using System.Threading.Channels;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Audit;

/// <summary>
/// Commits the audit entries of look-ups in groups. Each caller still waits until its entry is in the chain, but
/// look-ups that arrive while a commit runs go together into the next one: one writer, one transaction, one chain
/// head read for many entries. Separate transactions per look-up would each take the database's single write lock
/// (SQLite) or the chain's advisory lock (PostgreSQL) in turn, and on SQLite a writer that finds the lock taken
/// sleeps before it tries again, which is what limited a TAXII client to about a hundred pages a second.
/// </summary>
internal sealed class LookupAuditWriter(RibatDatabase database)
{
    /// <summary>At most this many entries in one commit, so one slow commit never holds a crowd.</summary>
    internal const int MostPerCommit = 512;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private Task? _writer;

    public Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        EnsureWriter();
        var pending = new Pending(entry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromException(new InvalidOperationException("The node is shutting down; the look-up was not audited."));
        }

        // A caller that gives up still has its entry written: the look-up was made.
        return pending.Written.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Takes no more entries; those already queued are still written.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private void EnsureWriter()
    {
        if (_writer is not null)
        {
            return;
        }

        lock (_start)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MostPerCommit);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MostPerCommit && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (await TryCommitAsync(batch) is not null && batch.Count > 1)
            {
                // One entry the database refuses must not fail the look-ups that happened to share its commit.
                foreach (var pending in batch)
                {
                    await TryCommitAsync([pending]);
                }
            }
        }
    }

    /// <summary>Commits the entries together and tells their callers; the failure, if any (the callers then learn it).</summary>
    private async Task<Exception?> TryCommitAsync(List<Pending> batch)
    {
        try
        {
            await using var db = database.Open(TenantScope.NodeWide("audit write"));
            db.AuditEntries.AddRange(batch.Select(p => p.Entry));
            await db.SaveWithoutFlushAsync(CancellationToken.None);
            batch.ForEach(p => p.Written.TrySetResult());
            return null;
        }
        catch (Exception failure)
        {
            if (batch.Count == 1)
            {
                batch[0].Written.TrySetException(failure);
            }

            return failure;
        }
    }

    private sealed record Pending(AuditEntry Entry, TaskCompletionSource Written);
}
