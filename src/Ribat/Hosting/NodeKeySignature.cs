using Ribat.Core.Federation.Sync;
using Ribat.Stix.Signing;

namespace Ribat.Hosting;

/// <summary>Signs federation payloads with the node key once start-up has loaded it (ADR 0012).</summary>
internal sealed class NodeKeySignature(NodeIdentity identity) : INodeSignature
{
    public bool IsReady => identity.Key is not null;

    public string Sign(ReadOnlyMemory<byte> body) =>
        PayloadSignature.Sign(body, (identity.Key ?? throw new InvalidOperationException("The node key is not loaded yet.")).Key);
}

/// <summary>The sync worker's interval and back-off from configuration or <c>RIBAT_SYNC_INTERVAL</c> / <c>RIBAT_SYNC_MAX_BACKOFF</c>.</summary>
internal static class FederationSyncSettings
{
    public static void Apply(FederationSyncOptions options, IConfiguration configuration)
    {
        if (FederationSyncOptions.ParseDuration(configuration[FederationSyncOptions.IntervalKey] ?? Environment.GetEnvironmentVariable("RIBAT_SYNC_INTERVAL")) is { } interval)
        {
            options.Interval = interval;
        }

        if (FederationSyncOptions.ParseDuration(configuration[FederationSyncOptions.MaxBackoffKey] ?? Environment.GetEnvironmentVariable("RIBAT_SYNC_MAX_BACKOFF")) is { } backoff)
        {
            options.MaxBackoff = backoff;
        }
        else if (options.MaxBackoff < options.Interval)
        {
            options.MaxBackoff = options.Interval;
        }
    }
}
