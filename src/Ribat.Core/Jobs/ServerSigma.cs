using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ribat.Forensics.Detection;

namespace Ribat.Core.Jobs;

/// <summary>
/// The node's Sigma rules (every rule under <see cref="JobOptions.SigmaDirectory"/>, deprecated and unsupported
/// folders skipped as the CLI does), loaded once and again whenever a rule file changes. A rule that cannot be loaded
/// is counted with its reason in each hunt's summary and left out; no folder means hunts without Sigma.
/// </summary>
public sealed class ServerSigma(IOptions<JobOptions> options, ILogger<ServerSigma> log)
{
    private readonly Lock _gate = new();
    private SigmaLoadResult? _loaded;
    private (DateTime Newest, int Count) _loadedFor;

    /// <summary>The rules now; null when the node has none.</summary>
    public SigmaLoadResult? Rules()
    {
        if (options.Value.SigmaDirectory is not { } folder || !Directory.Exists(folder))
        {
            return null;
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)).ToList();
        if (files.Count == 0)
        {
            return null;
        }

        var stamp = (files.Max(File.GetLastWriteTimeUtc), files.Count);
        lock (_gate)
        {
            if (_loaded is not null && _loadedFor == stamp)
            {
                return _loaded;
            }

            _loaded = SigmaRuleLoader.LoadDirectories([folder]);
            _loadedFor = stamp;
            log.LogInformation("Loaded {Rules} Sigma rules and {Correlations} correlations from {Folder}; {Failures} left out.",
                _loaded.Rules.Count, _loaded.Correlations.Count, folder, _loaded.Failures.Count);
            return _loaded;
        }
    }
}
