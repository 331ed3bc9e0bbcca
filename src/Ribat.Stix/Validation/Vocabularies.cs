using System.Collections.Frozen;

namespace Ribat.Stix.Validation;

/// <summary>A STIX vocabulary: open (other values are allowed but SHOULD come from it) or closed (an enumeration, MUST).</summary>
public sealed record Vocabulary(string Name, bool Closed, FrozenSet<string> Values)
{
    private static Vocabulary Open(string name, params string[] values) => new(name, false, values.ToFrozenSet(StringComparer.Ordinal));

    private static Vocabulary Enum(string name, params string[] values) => new(name, true, values.ToFrozenSet(StringComparer.Ordinal));

    public static readonly Vocabulary AccountType = Open("account-type-ov", "facebook", "ldap", "nis", "openid", "radius", "skype", "tacacs", "twitter", "unix", "windows-local", "windows-domain");
    public static readonly Vocabulary AttackMotivation = Open("attack-motivation-ov", "accidental", "coercion", "dominance", "ideology", "notoriety", "organizational-gain", "personal-gain", "personal-satisfaction", "revenge", "unpredictable");
    public static readonly Vocabulary AttackResourceLevel = Open("attack-resource-level-ov", "individual", "club", "contest", "team", "organization", "government");
    public static readonly Vocabulary GroupingContext = Open("grouping-context-ov", "suspicious-activity", "malware-analysis", "unspecified");
    public static readonly Vocabulary HashingAlgorithm = Open("hashing-algorithm-ov", "MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP", "TLSH");
    public static readonly Vocabulary IdentityClass = Open("identity-class-ov", "individual", "group", "system", "organization", "class", "unknown");
    public static readonly Vocabulary ImplementationLanguage = Open("implementation-language-ov", "applescript", "bash", "c", "c++", "c#", "go", "java", "javascript", "lua", "objective-c", "perl", "php", "powershell", "python", "ruby", "scala", "swift", "typescript", "visual-basic", "x86-32", "x86-64");
    public static readonly Vocabulary IndicatorType = Open("indicator-type-ov", "anomalous-activity", "anonymization", "benign", "compromised", "malicious-activity", "attribution", "unknown");
    public static readonly Vocabulary IndustrySector = Open("industry-sector-ov", "agriculture", "aerospace", "automotive", "chemical", "commercial", "communications", "construction", "defense", "education", "energy", "entertainment", "financial-services", "government", "government-emergency-services", "government-local", "government-national", "government-public-services", "government-regional", "healthcare", "hospitality-leisure", "infrastructure", "infrastructure-dams", "infrastructure-nuclear", "infrastructure-water", "insurance", "manufacturing", "mining", "non-profit", "pharmaceuticals", "retail", "technology", "telecommunications", "transportation", "utilities");
    public static readonly Vocabulary InfrastructureType = Open("infrastructure-type-ov", "amplification", "anonymization", "botnet", "command-and-control", "control-system", "exfiltration", "firewall", "hosting-malware", "hosting-target-lists", "phishing", "reconnaissance", "routers-switches", "staging", "workstation", "unknown");
    public static readonly Vocabulary MalwareCapabilities = Open("malware-capabilities-ov", "accesses-remote-machines", "anti-debugging", "anti-disassembly", "anti-emulation", "anti-memory-forensics", "anti-sandbox", "anti-vm", "captures-input-peripherals", "captures-output-peripherals", "captures-system-state-data", "cleans-traces-of-infection", "commits-fraud", "communicates-with-c2", "compromises-data-availability", "compromises-data-integrity", "compromises-system-availability", "controls-local-machine", "degrades-security-software", "degrades-system-updates", "determines-c2-server", "emails-spam", "escalates-privileges", "evades-av", "exfiltrates-data", "fingerprints-host", "hides-artifacts", "hides-executing-code", "infects-files", "infects-remote-machines", "installs-other-components", "persists-after-system-reboot", "prevents-artifact-access", "prevents-artifact-deletion", "probes-network-environment", "self-modifies", "steals-authentication-credentials", "violates-system-operational-integrity");
    public static readonly Vocabulary MalwareResult = Open("malware-result-ov", "malicious", "suspicious", "benign", "unknown");
    public static readonly Vocabulary MalwareType = Open("malware-type-ov", "adware", "backdoor", "bot", "bootkit", "ddos", "downloader", "dropper", "exploit-kit", "keylogger", "ransomware", "remote-access-trojan", "resource-exploitation", "rogue-security-software", "rootkit", "screen-capture", "spyware", "trojan", "unknown", "virus", "webshell", "wiper", "worm");
    public static readonly Vocabulary PatternType = Open("pattern-type-ov", "stix", "pcre", "sigma", "snort", "suricata", "yara");
    public static readonly Vocabulary ProcessorArchitecture = Open("processor-architecture-ov", "alpha", "arm", "ia-64", "mips", "powerpc", "sparc", "x86", "x86-64");
    public static readonly Vocabulary Region = Open("region-ov", "africa", "eastern-africa", "middle-africa", "northern-africa", "southern-africa", "western-africa", "americas", "caribbean", "central-america", "latin-america-caribbean", "northern-america", "south-america", "asia", "central-asia", "eastern-asia", "southern-asia", "south-eastern-asia", "western-asia", "europe", "eastern-europe", "northern-europe", "southern-europe", "western-europe", "oceania", "antarctica", "australia-new-zealand", "melanesia", "micronesia", "polynesia");
    public static readonly Vocabulary ReportType = Open("report-type-ov", "attack-pattern", "campaign", "identity", "indicator", "intrusion-set", "malware", "observed-data", "threat-actor", "threat-report", "tool", "vulnerability");
    public static readonly Vocabulary ThreatActorType = Open("threat-actor-type-ov", "activist", "competitor", "crime-syndicate", "criminal", "hacker", "insider-accidental", "insider-disgruntled", "nation-state", "sensationalist", "spy", "terrorist", "unknown");
    public static readonly Vocabulary ThreatActorRole = Open("threat-actor-role-ov", "agent", "director", "independent", "infrastructure-architect", "infrastructure-operator", "malware-author", "sponsor");
    public static readonly Vocabulary ThreatActorSophistication = Open("threat-actor-sophistication-ov", "none", "minimal", "intermediate", "advanced", "expert", "innovator", "strategic");
    public static readonly Vocabulary ToolType = Open("tool-type-ov", "denial-of-service", "exploitation", "information-gathering", "network-capture", "credential-exploitation", "remote-access", "vulnerability-scanning", "unknown");
    public static readonly Vocabulary WindowsPEBinaryType = Open("windows-pebinary-type-ov", "dll", "exe", "sys");
    public static readonly Vocabulary MarkingDefinitionType = Open("marking-definition-type", "statement", "tlp");

    public static readonly Vocabulary Opinion = Enum("opinion-enum", "strongly-disagree", "disagree", "neutral", "agree", "strongly-agree");
    public static readonly Vocabulary EncryptionAlgorithm = Enum("encryption-algorithm-enum", "AES-256-GCM", "ChaCha20-Poly1305", "mime-type-indicated");
    public static readonly Vocabulary ExtensionType = Enum("extension-type-enum", "new-sdo", "new-sco", "new-sro", "property-extension", "toplevel-property-extension");
    public static readonly Vocabulary SocketAddressFamily = Enum("network-socket-address-family-enum", "AF_UNSPEC", "AF_INET", "AF_IPX", "AF_APPLETALK", "AF_NETBIOS", "AF_INET6", "AF_IRDA", "AF_BTH");
    public static readonly Vocabulary SocketType = Enum("network-socket-type-enum", "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET");
    public static readonly Vocabulary WindowsIntegrityLevel = Enum("windows-integrity-level-enum", "low", "medium", "high", "system");
    public static readonly Vocabulary WindowsRegistryDataType = Enum("windows-registry-datatype-enum", "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD", "REG_DWORD_BIG_ENDIAN", "REG_DWORD_LITTLE_ENDIAN", "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTION", "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD", "REG_INVALID_TYPE");
    public static readonly Vocabulary WindowsServiceStartType = Enum("windows-service-start-type-enum", "SERVICE_AUTO_START", "SERVICE_BOOT_START", "SERVICE_DEMAND_START", "SERVICE_DISABLED", "SERVICE_SYSTEM_ALERT");
    public static readonly Vocabulary WindowsServiceType = Enum("windows-service-type-enum", "SERVICE_KERNEL_DRIVER", "SERVICE_FILE_SYSTEM_DRIVER", "SERVICE_WIN32_OWN_PROCESS", "SERVICE_WIN32_SHARE_PROCESS");
    public static readonly Vocabulary WindowsServiceStatus = Enum("windows-service-status-enum", "SERVICE_CONTINUE_PENDING", "SERVICE_PAUSE_PENDING", "SERVICE_PAUSED", "SERVICE_RUNNING", "SERVICE_START_PENDING", "SERVICE_STOP_PENDING", "SERVICE_STOPPED");
}
