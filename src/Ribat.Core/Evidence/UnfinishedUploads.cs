using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ribat.Core.Evidence;

/// <summary>
/// Removes what uploads cut off by a crash (a killed process, a power cut) left in the store's <c>incoming/</c>
/// folder, when a node starts. A part file is written under an exclusive lock for as long as its upload runs, so one
/// that can be opened exclusively belongs to nobody any more; one still locked (another instance sharing the store is
/// receiving it) is left alone. Nothing under <c>incoming/</c> was ever evidence: no row names it.
/// </summary>
public sealed class UnfinishedUploads(ContentStore store, ILogger<UnfinishedUploads> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var removed = Sweep();
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} unfinished upload(s) from {Directory}", removed, store.IncomingDirectory);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deletes every part file no writer holds; returns how many.</summary>
    public int Sweep()
    {
        if (!Directory.Exists(store.IncomingDirectory))
        {
            return 0;
        }

        var removed = 0;
        foreach (var part in Directory.EnumerateFiles(store.IncomingDirectory, "*.part"))
        {
            try
            {
                using (new FileStream(part, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose))
                {
                    removed++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Locked by a running upload, or already gone: not ours to remove.
            }
        }

        return removed;
    }
}
