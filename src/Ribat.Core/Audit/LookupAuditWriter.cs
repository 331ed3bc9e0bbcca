using System.Data.Common;
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
/// <para>
/// The writer keeps one context and its connection between commits (<see cref="RibatDbContext.HoldWithoutFlushAsync"/>):
/// a commit is then the transaction alone, without opening a context and a pooled connection and lowering and
/// restoring SQLite's safety level each time. A commit that fails gives the connection up; the next one opens another.
/// </para>
/// <para>
/// On SQLite the writer also keeps the write-ahead log short for readers: every <see cref="CommitsPerCheckpoint"/>
/// commits it checkpoints (<see cref="RibatDbContext.CheckpointLogAsync"/>), itself while the log is short and on
/// another connection in the background while it is long. When its own commits checkpointed whatever the log held, a
/// commit made during a bulk import copied back the import's whole log, and every look-up queued behind it waited.
/// </para>
/// </summary>
internal sealed class LookupAuditWriter(RibatDatabase database)
{
    /// <summary>At most this many entries in one commit, so one slow commit never holds a crowd.</summary>
    internal const int MostPerCommit = 512;

    /// <summary>
    /// Commits between two checkpoints of the log: a look-up's commit writes a few pages, so the log readers search
    /// stays within about a thousand frames (4 MiB), one table of its index.
    /// </summary>
    internal const int CommitsPerCheckpoint = 64;

    /// <summary>
    /// A log this long at a checkpoint is the look-ups' own (a few pages for each commit since the last one) and quick to
    /// copy back; a longer one holds another writer's batches.
    /// </summary>
    internal const int ShortLogFrames = 4096;

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

    /// <summary>The context the writer commits through, between commits; only the writer's loop touches it.</summary>
    private RibatDbContext? _held;

    /// <summary>The writer's commits since it last started a checkpoint, and that checkpoint; only the writer's loop changes them.</summary>
    private int _commitsSinceCheckpoint;

    private Task _checkpoint = Task.CompletedTask;

    /// <summary>How long the log was at the last checkpoint, in frames.</summary>
    private int _lastLogFrames;

    /// <summary>Takes no more entries; those already queued are still written, within <paramref name="drain"/>.</summary>
    public void Complete(TimeSpan drain)
    {
        _queue.Writer.TryComplete();
        Task? writer;
        lock (_start)
        {
            writer = _writer;
        }

        // A writer that failed letting its connection go has nothing left to write: stopping does not fail for it.
        _ = writer?.ContinueWith(static _ => { }, TaskScheduler.Default).Wait(drain);
        _ = Volatile.Read(ref _checkpoint).Wait(drain);
    }

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
        try
        {
            await DrainAsync();
        }
        finally
        {
            await LetGoAsync();
        }
    }

    private async Task DrainAsync()
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
            if (_held is null)
            {
                var db = database.Open(TenantScope.NodeWide("audit write"));
                _held = db;
                await db.HoldWithoutFlushAsync(CancellationToken.None);
            }

            _held.AuditEntries.AddRange(batch.Select(p => p.Entry));
            await _held.SaveWithoutFlushAsync(CancellationToken.None);
            batch.ForEach(p => p.Written.TrySetResult());
            await CheckpointNowAndThenAsync(_held);
            return null;
        }
        catch (Exception failure)
        {
            // Whatever the failure left in the context or on its connection goes with them.
            await LetGoAsync();
            if (batch.Count == 1)
            {
                batch[0].Written.TrySetException(failure);
            }

            return failure;
        }
    }

    /// <summary>
    /// Every <see cref="CommitsPerCheckpoint"/> commits on SQLite, checkpoints the log. While the log holds little more
    /// than the look-ups' own commits, the writer copies it back itself, between two commits: that takes a few
    /// milliseconds and leaves the log fully copied, so the next commit starts it again from its beginning. Once a
    /// checkpoint finds a long log (a bulk import's batches), the copying moves to another connection in the background
    /// and look-ups go on committing meanwhile; the writer copies again itself once a checkpoint finds the log short.
    /// </summary>
    private async Task CheckpointNowAndThenAsync(RibatDbContext held)
    {
        if (database.Options.Provider != DatabaseProvider.Sqlite || ++_commitsSinceCheckpoint < CommitsPerCheckpoint || !_checkpoint.IsCompleted)
        {
            return;
        }

        _commitsSinceCheckpoint = 0;
        if (Volatile.Read(ref _lastLogFrames) <= ShortLogFrames)
        {
            try
            {
                Volatile.Write(ref _lastLogFrames, await held.CheckpointLogAsync(CancellationToken.None));
            }
            catch (DbException)
            {
                // The entries are committed whatever happens here: a failed copy is left to the next checkpoint, and a
                // broken connection shows at the next commit, which opens another.
            }

            return;
        }

        Volatile.Write(ref _checkpoint, Task.Run(CheckpointAsync));
    }

    private async Task CheckpointAsync()
    {
        try
        {
            await using var db = database.Open(TenantScope.NodeWide("log checkpoint"));
            Volatile.Write(ref _lastLogFrames, await db.CheckpointLogAsync(CancellationToken.None));
        }
        catch (DbException)
        {
            // The database is busy or gone: the next checkpoint, or a writer's own, copies what this one did not.
        }
    }

    /// <summary>Gives the held connection back as it was found and drops the context; a failure here is the connection's own.</summary>
    private async Task LetGoAsync()
    {
        if (_held is not { } db)
        {
            return;
        }

        _held = null;
        try
        {
            await db.ReleaseWithoutFlushAsync();
        }
        catch (Exception)
        {
            // The connection is broken or the database gone: closing it (below) is all that is left to do.
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    private sealed record Pending(AuditEntry Entry, TaskCompletionSource Written);
}
