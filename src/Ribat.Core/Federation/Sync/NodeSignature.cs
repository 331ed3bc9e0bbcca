using Ribat.Stix.Signing;

namespace Ribat.Core.Federation.Sync;

/// <summary>Signs federation payloads with this node's key (ADR 0012). The host supplies it once the key is loaded.</summary>
public interface INodeSignature
{
    /// <summary>False until the node key is loaded; nothing is sent to partners before.</summary>
    bool IsReady { get; }

    /// <summary>The <c>Ribat-Signature</c> header value over <paramref name="body"/>.</summary>
    string Sign(ReadOnlyMemory<byte> body);
}

/// <summary>Where no node key is loaded (the shell's commands): nothing is signed, so nothing is sent.</summary>
internal sealed class NoNodeSignature : INodeSignature
{
    public bool IsReady => false;

    public string Sign(ReadOnlyMemory<byte> body) => throw new InvalidOperationException("No node key is loaded in this process.");
}

/// <summary>One HTTP client for every partner, so connections are pooled and renewed; each request has its own time limit.</summary>
public sealed class PartnerHttp : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = TimeSpan.FromSeconds(10) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => Client.Dispose();
}

internal static class SignatureText
{
    /// <summary>A refusal as the partner page shows it.</summary>
    public static string Describe(SignatureCheck check) => $"signature refused ({check.Failure?.ToString() ?? "unknown"}): {check.Message}";
}
