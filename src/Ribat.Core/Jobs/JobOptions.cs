namespace Ribat.Core.Jobs;

/// <summary>
/// How the node runs analyses: where its Sigma rules and GeoIP databases are, and how often the worker looks for work
/// and writes progress. The host fills the folders from the data directory and the <c>RIBAT_GEOIP_*</c> settings.
/// </summary>
public sealed class JobOptions
{
    /// <summary>Every <c>.yml</c>/<c>.yaml</c> Sigma rule under this folder (default <c>&lt;data&gt;/sigma</c>); none when it is missing.</summary>
    public string? SigmaDirectory { get; set; }

    /// <summary>MaxMind-format ASN database (<c>.mmdb</c>).</summary>
    public string? AsnDatabase { get; set; }

    /// <summary>MaxMind-format Country database.</summary>
    public string? CountryDatabase { get; set; }

    /// <summary>MaxMind-format City database (answers country too).</summary>
    public string? CityDatabase { get; set; }

    /// <summary>How often the worker looks for a waiting job when nobody wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a running job writes its progress and reads whether it was cancelled.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A running job that has not beaten for this long was cut off (a restart, a crash) and is failed.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Detections one hunt keeps as findings; the rest are counted in its summary.</summary>
    public int MaxFindings { get; set; } = 5_000;

    public bool HasGeoDatabases => AsnDatabase is not null || CountryDatabase is not null || CityDatabase is not null;
}

/// <summary>Wakes the worker when a job is queued, so it starts at once rather than at the next poll.</summary>
public sealed class JobSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Woken already.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}

/// <summary>Draws a capture's chart as a PNG picture; the host supplies the drawing (the CLI's <c>--chart</c>).</summary>
public interface ITrafficChart
{
    byte[] Png(Forensics.Pcap.TrafficSummary summary);
}
