using System.Reflection;

namespace Ribat.Stix.Taxii.Client;

/// <summary>How a <see cref="TaxiiClient"/> calls a server: credentials, time limits, size limits.</summary>
public sealed record TaxiiClientOptions
{
    /// <summary>With a user name the client sends HTTP Basic (user name, <see cref="Secret"/>); without, a Bearer token.</summary>
    public string? UserName { get; init; }

    /// <summary>The password (Basic) or token (Bearer); without it the client calls anonymously.</summary>
    public string? Secret { get; init; }

    /// <summary>Longest wait for one whole answer, body included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest answer read; a larger one is refused as not what a TAXII page should be.</summary>
    public long MaxResponseBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How often <see cref="TaxiiClient.WaitForStatusAsync"/> asks again while a POST is pending.</summary>
    public TimeSpan StatusPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Pages <see cref="TaxiiClient.PullAsync"/> follows at most, so a server that always says "more" cannot loop it.</summary>
    public int MaxPages { get; init; } = 100_000;

    /// <summary>Signs request bodies (the <c>Ribat-Signature</c> header, ADR 0012); null sends them unsigned.</summary>
    public Func<ReadOnlyMemory<byte>, string>? SignBody { get; init; }

    /// <summary><c>Ribat/1.2.3 (TAXII 2.1 client)</c>, from the library's informational version.</summary>
    public static string DefaultUserAgent { get; } = $"Ribat/{ProductVersion()} (TAXII 2.1 client)";

    public string UserAgent { get; init; } = DefaultUserAgent;

    private static string ProductVersion()
    {
        var version = typeof(TaxiiClientOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }
}
