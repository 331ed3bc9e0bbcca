using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ribat.Stix.Model;

/// <summary>
/// Anything that keeps the properties it does not model. They are read in order into <see cref="Custom"/> and written
/// back after the modelled ones, so custom and future properties survive a round trip untouched.
/// </summary>
public abstract class StixExtensible
{
    /// <summary>Properties this class does not model, in the order they were read.</summary>
    [JsonExtensionData]
    public OrderedDictionary<string, JsonElement>? Custom { get; set; }
}

/// <summary>The properties every STIX object has: SDOs, SCOs, SROs, marking and extension definitions, language content.</summary>
public abstract class StixObject : StixExtensible
{
    protected StixObject(string type) => Type = type;

    [JsonPropertyOrder(-3)]
    public string Type { get; set; }

    /// <summary>
    /// Left null unless read or set: an SCO read without it must be written back without it. Objects built in code
    /// set it to <see cref="StixVersion.Current"/>; the validator reports SDOs and SROs that do not.
    /// </summary>
    [JsonPropertyOrder(-2)]
    public string? SpecVersion { get; set; }

    [JsonPropertyOrder(-1)]
    public string Id { get; set; } = string.Empty;

    public List<string>? ObjectMarkingRefs { get; set; }

    public List<GranularMarking>? GranularMarkings { get; set; }

    public StixExtensions? Extensions { get; set; }
}

/// <summary>The common properties of SDOs, SROs, language content, extension definitions and custom objects.</summary>
public abstract class StixCoreObject : StixObject
{
    protected StixCoreObject(string type)
        : base(type)
    {
    }

    public string? CreatedByRef { get; set; }

    public StixTimestamp? Created { get; set; }

    public StixTimestamp? Modified { get; set; }

    public bool? Revoked { get; set; }

    public List<string>? Labels { get; set; }

    public int? Confidence { get; set; }

    public string? Lang { get; set; }

    public List<ExternalReference>? ExternalReferences { get; set; }
}

/// <summary>A STIX Domain Object (section 4 of the specification).</summary>
public abstract class StixDomainObject : StixCoreObject
{
    protected StixDomainObject(string type)
        : base(type)
    {
    }
}

/// <summary>A STIX Relationship Object: relationship or sighting.</summary>
public abstract class StixRelationshipObject : StixCoreObject
{
    protected StixRelationshipObject(string type)
        : base(type)
    {
    }
}

/// <summary>A STIX Cyber-observable Object (section 6).</summary>
public abstract class StixCyberObservable : StixObject
{
    protected StixCyberObservable(string type)
        : base(type)
    {
    }

    public bool? Defanged { get; set; }
}

/// <summary>
/// An object whose type this library does not model (<c>x-mitre-tactic</c>, a vendor's SDO, a future type): its common
/// properties are read like any other object's and everything else lands, in order, in <see cref="StixExtensible.Custom"/>.
/// </summary>
public sealed class CustomStixObject : StixCoreObject
{
    public CustomStixObject()
        : base("x-custom")
    {
    }

    public CustomStixObject(string type)
        : base(type)
    {
    }
}

/// <summary>The spec version this library reads and writes.</summary>
public static class StixVersion
{
    public const string Current = "2.1";
}

/// <summary>A reference to something outside STIX: a CVE, a CAPEC entry, an ATT&amp;CK page, a report.</summary>
public sealed class ExternalReference : StixExtensible
{
    public string SourceName { get; set; } = string.Empty;

    public string? Description { get; set; }

    public string? Url { get; set; }

    public Dictionary<string, string>? Hashes { get; set; }

    public string? ExternalId { get; set; }
}

/// <summary>A phase of a kill chain, e.g. <c>lockheed-martin-cyber-kill-chain</c> / <c>reconnaissance</c>.</summary>
public sealed class KillChainPhase : StixExtensible
{
    public string KillChainName { get; set; } = string.Empty;

    public string PhaseName { get; set; } = string.Empty;
}

/// <summary>A marking (or a language) applied to the parts of an object its selectors name.</summary>
public sealed class GranularMarking : StixExtensible
{
    public string? Lang { get; set; }

    public string? MarkingRef { get; set; }

    public List<string> Selectors { get; set; } = [];
}

/// <summary>
/// The <c>extensions</c> dictionary. The predefined SCO extensions are typed; extension definitions
/// (<c>extension-definition--…</c>) and any other key are kept as read in <see cref="StixExtensible.Custom"/>.
/// </summary>
public sealed class StixExtensions : StixExtensible
{
    [JsonPropertyName("archive-ext")]
    public ArchiveExtension? Archive { get; set; }

    [JsonPropertyName("ntfs-ext")]
    public NtfsExtension? Ntfs { get; set; }

    [JsonPropertyName("pdf-ext")]
    public PdfExtension? Pdf { get; set; }

    [JsonPropertyName("raster-image-ext")]
    public RasterImageExtension? RasterImage { get; set; }

    [JsonPropertyName("windows-pebinary-ext")]
    public WindowsPEBinaryExtension? WindowsPEBinary { get; set; }

    [JsonPropertyName("http-request-ext")]
    public HttpRequestExtension? HttpRequest { get; set; }

    [JsonPropertyName("icmp-ext")]
    public IcmpExtension? Icmp { get; set; }

    [JsonPropertyName("socket-ext")]
    public SocketExtension? Socket { get; set; }

    [JsonPropertyName("tcp-ext")]
    public TcpExtension? Tcp { get; set; }

    [JsonPropertyName("windows-process-ext")]
    public WindowsProcessExtension? WindowsProcess { get; set; }

    [JsonPropertyName("windows-service-ext")]
    public WindowsServiceExtension? WindowsService { get; set; }

    [JsonPropertyName("unix-account-ext")]
    public UnixAccountExtension? UnixAccount { get; set; }
}
