using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// Wakes the sync worker as soon as a STIX version this node may push is committed, so pushes go out when objects are
/// created rather than at the next interval. Process-wide: a spurious wake costs one look at the store, a missed one
/// costs an interval, so it errs on waking.
/// </summary>
public static class LocalVersionsSignal
{
    private static readonly SemaphoreSlim Pulse = new(0, 1);

    public static void Notify()
    {
        // At most one pending pulse: several commits before the worker looks need one look.
        if (Pulse.CurrentCount == 0)
        {
            try
            {
                Pulse.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit released it first.
            }
        }
    }

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
    public static Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => Pulse.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Notices added local STIX versions: after a save outside a transaction, or when the transaction that saved them
/// commits (a worker woken earlier would not yet see them).
/// </summary>
internal sealed class LocalVersionsInterceptor : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbTransaction, object> Pending = [];

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> _adding = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (Pending.Remove(transaction))
        {
            LocalVersionsSignal.Notify();
        }
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Note(DbContext? context)
    {
        if (context is Data.RibatDbContext { LocalVersionsAdded: true } dated)
        {
            dated.LocalVersionsAdded = false;
            _adding.AddOrUpdate(context, this);
        }
        else if (context is not null && context.ChangeTracker.Entries<StixObjectRecord>().Any(e => e.State == EntityState.Added && e.Entity.Origin != StixOrigin.Partner))
        {
            _adding.AddOrUpdate(context, this);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_adding.Remove(context))
        {
            return;
        }

        if (context.Database.CurrentTransaction?.GetDbTransaction() is { } transaction)
        {
            Pending.AddOrUpdate(transaction, this);
        }
        else
        {
            LocalVersionsSignal.Notify();
        }
    }
}
