namespace Ribat.Forensics.Files;

/// <summary>What a Windows PE file declares about itself, and what is wrong with it.</summary>
public sealed record PeReport(
    string Format,
    string Machine,
    string Subsystem,
    IReadOnlyList<string> Characteristics,
    IReadOnlyList<string> DllCharacteristics,
    uint TimeDateStamp,
    DateTimeOffset? CompiledAt,
    string? TimestampNote,
    ulong ImageBase,
    uint EntryPoint,
    IReadOnlyList<PeSection> Sections,
    IReadOnlyList<PeImport> Imports,
    string? Imphash,
    PeExports? Exports,
    IReadOnlyList<PeResource> Resources,
    PeSignature? Signature,
    long OverlayOffset,
    long OverlaySize,
    IReadOnlyList<string> Anomalies);

/// <param name="Entropy">Shannon entropy of the raw data in bits per byte; null when none of it is in the file.</param>
public sealed record PeSection(string Name, uint VirtualAddress, uint VirtualSize, uint RawOffset, uint RawSize, double? Entropy, IReadOnlyList<string> Characteristics);

/// <summary>One imported DLL; functions imported by ordinal are written <c>ord123</c>.</summary>
public sealed record PeImport(string Dll, IReadOnlyList<string> Functions);

public sealed record PeExports(string? DllName, uint OrdinalBase, IReadOnlyList<PeExport> Functions);

/// <param name="Forwarder">Set when the export forwards to another DLL (<c>NTDLL.RtlAllocateHeap</c>).</param>
public sealed record PeExport(uint Ordinal, string? Name, uint Rva, string? Forwarder);

/// <summary>A resource leaf: type (a well-known name or its id, or a string), name, language id, data size.</summary>
public sealed record PeResource(string Type, string Name, uint Language, uint Size, uint Rva);

/// <summary>The Authenticode (security directory) blob: where it is and its first certificate's type. Not verified.</summary>
public sealed record PeSignature(uint Offset, uint Size, string CertificateType);
