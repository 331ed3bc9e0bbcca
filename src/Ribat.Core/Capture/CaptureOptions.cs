namespace Ribat.Core.Capture;

/// <summary>
/// What a captured page may reach (<c>Ribat:Capture</c>). A capture loads a page an investigator names, and every
/// image, script and frame that page asks for, from the node; by default only public addresses are reached, so a
/// hostile page cannot make the node photograph its own services, the organisation's intranet or the cloud metadata
/// service. Link-local, multicast and reserved addresses are never reached.
/// </summary>
public sealed class CaptureOptions
{
    public const string Section = "Ribat:Capture";

    /// <summary>Let captures load the node itself (loopback): for tests and a laptop's local sites.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Let captures load private networks (10/8, 172.16/12, 192.168/16, fc00::/7): for an intranet case.</summary>
    public bool AllowPrivateNetworks { get; set; }
}
