using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ribat.Stix.Model;

public sealed class Artifact() : StixCyberObservable("artifact")
{
    public string? MimeType { get; set; }

    public string? PayloadBin { get; set; }

    public string? Url { get; set; }

    public Dictionary<string, string>? Hashes { get; set; }

    public string? EncryptionAlgorithm { get; set; }

    public string? DecryptionKey { get; set; }
}

public sealed class AutonomousSystem() : StixCyberObservable("autonomous-system")
{
    public long? Number { get; set; }

    public string? Name { get; set; }

    public string? Rir { get; set; }
}

public sealed class StixDirectory() : StixCyberObservable("directory")
{
    public string? Path { get; set; }

    public string? PathEnc { get; set; }

    public StixTimestamp? Ctime { get; set; }

    public StixTimestamp? Mtime { get; set; }

    public StixTimestamp? Atime { get; set; }

    public List<string>? ContainsRefs { get; set; }
}

public sealed class DomainName() : StixCyberObservable("domain-name")
{
    public string? Value { get; set; }

    public List<string>? ResolvesToRefs { get; set; }
}

public sealed class EmailAddress() : StixCyberObservable("email-addr")
{
    public string? Value { get; set; }

    public string? DisplayName { get; set; }

    public string? BelongsToRef { get; set; }
}

public sealed class EmailMessage() : StixCyberObservable("email-message")
{
    public bool? IsMultipart { get; set; }

    public StixTimestamp? Date { get; set; }

    public string? ContentType { get; set; }

    public string? FromRef { get; set; }

    public string? SenderRef { get; set; }

    public List<string>? ToRefs { get; set; }

    public List<string>? CcRefs { get; set; }

    public List<string>? BccRefs { get; set; }

    public string? MessageId { get; set; }

    public string? Subject { get; set; }

    public List<string>? ReceivedLines { get; set; }

    /// <summary>Header name → value (a string or a list of strings).</summary>
    public JsonObject? AdditionalHeaderFields { get; set; }

    public string? Body { get; set; }

    public List<EmailMimeComponent>? BodyMultipart { get; set; }

    public string? RawEmailRef { get; set; }
}

/// <summary>One MIME part of a multipart e-mail.</summary>
public sealed class EmailMimeComponent : StixExtensible
{
    public string? Body { get; set; }

    public string? BodyRawRef { get; set; }

    public string? ContentType { get; set; }

    public string? ContentDisposition { get; set; }
}

public sealed class StixFile() : StixCyberObservable("file")
{
    public Dictionary<string, string>? Hashes { get; set; }

    public long? Size { get; set; }

    public string? Name { get; set; }

    public string? NameEnc { get; set; }

    public string? MagicNumberHex { get; set; }

    public string? MimeType { get; set; }

    public StixTimestamp? Ctime { get; set; }

    public StixTimestamp? Mtime { get; set; }

    public StixTimestamp? Atime { get; set; }

    public string? ParentDirectoryRef { get; set; }

    public List<string>? ContainsRefs { get; set; }

    public string? ContentRef { get; set; }
}

public sealed class IPv4Address() : StixCyberObservable("ipv4-addr")
{
    public string? Value { get; set; }

    public List<string>? ResolvesToRefs { get; set; }

    public List<string>? BelongsToRefs { get; set; }
}

public sealed class IPv6Address() : StixCyberObservable("ipv6-addr")
{
    public string? Value { get; set; }

    public List<string>? ResolvesToRefs { get; set; }

    public List<string>? BelongsToRefs { get; set; }
}

public sealed class MacAddress() : StixCyberObservable("mac-addr")
{
    public string? Value { get; set; }
}

public sealed class StixMutex() : StixCyberObservable("mutex")
{
    public string? Name { get; set; }
}

public sealed class NetworkTraffic() : StixCyberObservable("network-traffic")
{
    public StixTimestamp? Start { get; set; }

    public StixTimestamp? End { get; set; }

    public bool? IsActive { get; set; }

    public string? SrcRef { get; set; }

    public string? DstRef { get; set; }

    public long? SrcPort { get; set; }

    public long? DstPort { get; set; }

    public List<string>? Protocols { get; set; }

    public long? SrcByteCount { get; set; }

    public long? DstByteCount { get; set; }

    public long? SrcPackets { get; set; }

    public long? DstPackets { get; set; }

    public JsonObject? Ipfix { get; set; }

    public string? SrcPayloadRef { get; set; }

    public string? DstPayloadRef { get; set; }

    public List<string>? EncapsulatesRefs { get; set; }

    public string? EncapsulatedByRef { get; set; }
}

public sealed class StixProcess() : StixCyberObservable("process")
{
    public bool? IsHidden { get; set; }

    public long? Pid { get; set; }

    public StixTimestamp? CreatedTime { get; set; }

    public string? Cwd { get; set; }

    public string? CommandLine { get; set; }

    public Dictionary<string, string>? EnvironmentVariables { get; set; }

    public List<string>? OpenedConnectionRefs { get; set; }

    public string? CreatorUserRef { get; set; }

    public string? ImageRef { get; set; }

    public string? ParentRef { get; set; }

    public List<string>? ChildRefs { get; set; }
}

public sealed class Software() : StixCyberObservable("software")
{
    public string? Name { get; set; }

    public string? Cpe { get; set; }

    public string? Swid { get; set; }

    public List<string>? Languages { get; set; }

    public string? Vendor { get; set; }

    public string? Version { get; set; }
}

public sealed class Url() : StixCyberObservable("url")
{
    public string? Value { get; set; }
}

public sealed class UserAccount() : StixCyberObservable("user-account")
{
    public string? UserId { get; set; }

    public string? Credential { get; set; }

    public string? AccountLogin { get; set; }

    public string? AccountType { get; set; }

    public string? DisplayName { get; set; }

    public bool? IsServiceAccount { get; set; }

    public bool? IsPrivileged { get; set; }

    public bool? CanEscalatePrivs { get; set; }

    public bool? IsDisabled { get; set; }

    public StixTimestamp? AccountCreated { get; set; }

    public StixTimestamp? AccountExpires { get; set; }

    public StixTimestamp? CredentialLastChanged { get; set; }

    public StixTimestamp? AccountFirstLogin { get; set; }

    public StixTimestamp? AccountLastLogin { get; set; }
}

public sealed class WindowsRegistryKey() : StixCyberObservable("windows-registry-key")
{
    public string? Key { get; set; }

    public List<WindowsRegistryValue>? Values { get; set; }

    public StixTimestamp? ModifiedTime { get; set; }

    public string? CreatorUserRef { get; set; }

    public long? NumberOfSubkeys { get; set; }
}

public sealed class WindowsRegistryValue : StixExtensible
{
    public string? Name { get; set; }

    public string? Data { get; set; }

    public string? DataType { get; set; }
}

public sealed class X509Certificate() : StixCyberObservable("x509-certificate")
{
    public bool? IsSelfSigned { get; set; }

    public Dictionary<string, string>? Hashes { get; set; }

    public string? Version { get; set; }

    public string? SerialNumber { get; set; }

    public string? SignatureAlgorithm { get; set; }

    public string? Issuer { get; set; }

    public StixTimestamp? ValidityNotBefore { get; set; }

    public StixTimestamp? ValidityNotAfter { get; set; }

    public string? Subject { get; set; }

    public string? SubjectPublicKeyAlgorithm { get; set; }

    public string? SubjectPublicKeyModulus { get; set; }

    public long? SubjectPublicKeyExponent { get; set; }

    [JsonPropertyName("x509_v3_extensions")]
    public X509V3Extensions? X509V3Extensions { get; set; }
}

public sealed class X509V3Extensions : StixExtensible
{
    public string? BasicConstraints { get; set; }

    public string? NameConstraints { get; set; }

    public string? PolicyConstraints { get; set; }

    public string? KeyUsage { get; set; }

    public string? ExtendedKeyUsage { get; set; }

    public string? SubjectKeyIdentifier { get; set; }

    public string? AuthorityKeyIdentifier { get; set; }

    public string? SubjectAlternativeName { get; set; }

    public string? IssuerAlternativeName { get; set; }

    public string? SubjectDirectoryAttributes { get; set; }

    public string? CrlDistributionPoints { get; set; }

    public string? InhibitAnyPolicy { get; set; }

    public StixTimestamp? PrivateKeyUsagePeriodNotBefore { get; set; }

    public StixTimestamp? PrivateKeyUsagePeriodNotAfter { get; set; }

    public string? CertificatePolicies { get; set; }

    public string? PolicyMappings { get; set; }
}
