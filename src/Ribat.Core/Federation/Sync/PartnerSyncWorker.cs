using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ribat.Core.Data;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Federation.Sync;

/// <summary>
/// Keeps every enabled partner in step for as long as the node serves: a round per partner at each interval, and at
/// once when a local object version is committed, so pushes leave as objects are created. A failing partner is left
/// alone until its back-off passes; the others go on.
/// </summary>
internal sealed class PartnerSyncWorker(IServiceProvider services, RibatDatabase database, IOptions<FederationSyncOptions> options, TimeProvider clock, ILogger<PartnerSyncWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sync = services.GetRequiredService<SyncPartner>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = options.Value.Interval;
                try
                {
                    wait = await RoundAsync(sync, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "A partner sync round failed; it runs again at the next interval.");
                }

                await LocalVersionsSignal.WaitAsync(wait, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }

    /// <summary>Syncs every partner that is due; answers how long to sleep before the next one is.</summary>
    private async Task<TimeSpan> RoundAsync(SyncPartner sync, CancellationToken cancellationToken)
    {
        List<(Guid Id, DateTimeOffset? Next)> due;
        await using (var db = database.Open(TenantScope.NodeWide("partner sync")))
        {
            due = (await db.Partners.AsNoTracking().Where(p => p.Enabled).OrderBy(p => p.Id)
                    .Select(p => new { p.Id, Next = db.PartnerSyncStates.Where(s => s.PartnerId == p.Id).Select(s => s.NextAttemptAt).FirstOrDefault() })
                    .ToListAsync(cancellationToken))
                .Select(p => (p.Id, p.Next))
                .ToList();
        }

        var interval = options.Value.Interval;
        var now = clock.GetUtcNow();
        var sleep = interval;
        foreach (var (id, next) in due)
        {
            if (next is { } at && at > now)
            {
                sleep = TimeSpan.FromTicks(Math.Min(sleep.Ticks, (at - now).Ticks));
                continue;
            }

            try
            {
                if (!await sync.RunAsync(id, cancellationToken))
                {
                    sleep = TimeSpan.FromTicks(Math.Min(sleep.Ticks, options.Value.BackoffAfter(1).Ticks));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Syncing partner {Partner} failed unexpectedly.", id);
            }
        }

        return sleep < TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : sleep;
    }
}
