using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ribat.Stix.Model;

public sealed class ArchiveExtension : StixExtensible
{
    public List<string>? ContainsRefs { get; set; }

    public string? Comment { get; set; }
}

public sealed class NtfsExtension : StixExtensible
{
    public string? Sid { get; set; }

    public List<AlternateDataStream>? AlternateDataStreams { get; set; }
}

public sealed class AlternateDataStream : StixExtensible
{
    public string? Name { get; set; }

    public Dictionary<string, string>? Hashes { get; set; }

    public long? Size { get; set; }
}

public sealed class PdfExtension : StixExtensible
{
    public string? Version { get; set; }

    public bool? IsOptimized { get; set; }

    public Dictionary<string, string>? DocumentInfoDict { get; set; }

    [JsonPropertyName("pdfid0")]
    public string? PdfId0 { get; set; }

    [JsonPropertyName("pdfid1")]
    public string? PdfId1 { get; set; }
}

public sealed class RasterImageExtension : StixExtensible
{
    public long? ImageHeight { get; set; }

    public long? ImageWidth { get; set; }

    public long? BitsPerPixel { get; set; }

    /// <summary>EXIF tag → value (a string or an integer).</summary>
    public JsonObject? ExifTags { get; set; }
}

public sealed class WindowsPEBinaryExtension : StixExtensible
{
    public string? PeType { get; set; }

    public string? Imphash { get; set; }

    public string? MachineHex { get; set; }

    public long? NumberOfSections { get; set; }

    public StixTimestamp? TimeDateStamp { get; set; }

    public string? PointerToSymbolTableHex { get; set; }

    public long? NumberOfSymbols { get; set; }

    public long? SizeOfOptionalHeader { get; set; }

    public string? CharacteristicsHex { get; set; }

    public Dictionary<string, string>? FileHeaderHashes { get; set; }

    public WindowsPEOptionalHeader? OptionalHeader { get; set; }

    public List<WindowsPESection>? Sections { get; set; }
}

public sealed class WindowsPEOptionalHeader : StixExtensible
{
    public string? MagicHex { get; set; }

    public long? MajorLinkerVersion { get; set; }

    public long? MinorLinkerVersion { get; set; }

    public long? SizeOfCode { get; set; }

    public long? SizeOfInitializedData { get; set; }

    public long? SizeOfUninitializedData { get; set; }

    public long? AddressOfEntryPoint { get; set; }

    public long? BaseOfCode { get; set; }

    public long? BaseOfData { get; set; }

    public long? ImageBase { get; set; }

    public long? SectionAlignment { get; set; }

    public long? FileAlignment { get; set; }

    public long? MajorOsVersion { get; set; }

    public long? MinorOsVersion { get; set; }

    public long? MajorImageVersion { get; set; }

    public long? MinorImageVersion { get; set; }

    public long? MajorSubsystemVersion { get; set; }

    public long? MinorSubsystemVersion { get; set; }

    [JsonPropertyName("win32_version_value_hex")]
    public string? Win32VersionValueHex { get; set; }

    public long? SizeOfImage { get; set; }

    public long? SizeOfHeaders { get; set; }

    public string? ChecksumHex { get; set; }

    public string? SubsystemHex { get; set; }

    public string? DllCharacteristicsHex { get; set; }

    public long? SizeOfStackReserve { get; set; }

    public long? SizeOfStackCommit { get; set; }

    public long? SizeOfHeapReserve { get; set; }

    public long? SizeOfHeapCommit { get; set; }

    public string? LoaderFlagsHex { get; set; }

    public long? NumberOfRvaAndSizes { get; set; }

    public Dictionary<string, string>? Hashes { get; set; }
}

public sealed class WindowsPESection : StixExtensible
{
    public string? Name { get; set; }

    public long? Size { get; set; }

    public double? Entropy { get; set; }

    public Dictionary<string, string>? Hashes { get; set; }
}

public sealed class HttpRequestExtension : StixExtensible
{
    public string? RequestMethod { get; set; }

    public string? RequestValue { get; set; }

    public string? RequestVersion { get; set; }

    /// <summary>Header name → value (a string or a list of strings).</summary>
    public JsonObject? RequestHeader { get; set; }

    public long? MessageBodyLength { get; set; }

    public string? MessageBodyDataRef { get; set; }
}

public sealed class IcmpExtension : StixExtensible
{
    public string? IcmpTypeHex { get; set; }

    public string? IcmpCodeHex { get; set; }
}

public sealed class SocketExtension : StixExtensible
{
    public string? AddressFamily { get; set; }

    public bool? IsBlocking { get; set; }

    public bool? IsListening { get; set; }

    /// <summary>Socket option name (<c>SO_*</c>, <c>ICMP6_*</c>…) → integer value.</summary>
    public JsonObject? Options { get; set; }

    public string? SocketType { get; set; }

    public long? SocketDescriptor { get; set; }

    public long? SocketHandle { get; set; }
}

public sealed class TcpExtension : StixExtensible
{
    public string? SrcFlagsHex { get; set; }

    public string? DstFlagsHex { get; set; }
}

public sealed class WindowsProcessExtension : StixExtensible
{
    public bool? AslrEnabled { get; set; }

    public bool? DepEnabled { get; set; }

    public string? Priority { get; set; }

    public string? OwnerSid { get; set; }

    public string? WindowTitle { get; set; }

    public JsonObject? StartupInfo { get; set; }

    public string? IntegrityLevel { get; set; }
}

public sealed class WindowsServiceExtension : StixExtensible
{
    public string? ServiceName { get; set; }

    public List<string>? Descriptions { get; set; }

    public string? DisplayName { get; set; }

    public string? GroupName { get; set; }

    public string? StartType { get; set; }

    public List<string>? ServiceDllRefs { get; set; }

    public string? ServiceType { get; set; }

    public string? ServiceStatus { get; set; }
}

public sealed class UnixAccountExtension : StixExtensible
{
    public long? Gid { get; set; }

    public List<string>? Groups { get; set; }

    public string? HomeDir { get; set; }

    public string? Shell { get; set; }
}
