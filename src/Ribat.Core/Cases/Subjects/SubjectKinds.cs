using Ribat.Core.Common;

namespace Ribat.Core.Cases.Subjects;

public enum SubjectKind
{
    Person = 0,
    Organisation = 1,
    OnlineAccount = 2,
    Device = 3,
    Phone = 4,
    Email = 5,
    Ip = 6,
    Domain = 7,
    CryptoWallet = 8,
    BankAccount = 9,
}

/// <summary>
/// The kinds of subject by stable spelling, and for identifier kinds the indicator types their values may have, in
/// the order a bare value is tried. The value types come from the intelligence store, which validates them.
/// </summary>
public static class SubjectKinds
{
    public static readonly IReadOnlyList<(SubjectKind Kind, string Name, string[] ValueTypes)> All =
    [
        (SubjectKind.Person, "person", []),
        (SubjectKind.Organisation, "organisation", []),
        (SubjectKind.OnlineAccount, "online-account", ["user-account"]),
        (SubjectKind.Device, "device", []),
        (SubjectKind.Phone, "phone", ["phone"]),
        (SubjectKind.Email, "email", ["email"]),
        (SubjectKind.Ip, "ip", ["ipv4", "ipv6"]),
        (SubjectKind.Domain, "domain", ["domain", "hostname"]),
        (SubjectKind.CryptoWallet, "crypto-wallet", ["btc-address", "eth-address", "tron-address", "ltc-address", "xmr-address"]),
        (SubjectKind.BankAccount, "bank-account", ["iban"]),
    ];

    public static string Choices => string.Join(", ", All.Select(k => k.Name));

    public static string Spell(this SubjectKind kind) => All.First(k => k.Kind == kind).Name;

    public static IReadOnlyList<string> ValueTypesOf(SubjectKind kind) => All.First(k => k.Kind == kind).ValueTypes;

    /// <summary>Identifier kinds hold one canonical value; the others (person, organisation, device) a name.</summary>
    public static bool IsIdentifier(this SubjectKind kind) => ValueTypesOf(kind).Count > 0;

    public static bool TryParse(string? text, out SubjectKind kind) => Spellings.TryParse(text, Spell, out kind);

    /// <summary>The subject kind a value of an indicator type becomes, if any (hashes and URLs do not).</summary>
    public static bool TryKindOf(string? valueType, out SubjectKind kind)
    {
        foreach (var entry in All)
        {
            if (entry.ValueTypes.Contains(valueType))
            {
                kind = entry.Kind;
                return true;
            }
        }

        kind = default;
        return false;
    }
}

/// <summary>
/// The closed list of relationship kinds, by stable spelling. <c>Symmetric</c> kinds read the same both ways
/// (a communicates with b); the others have a direction (a person uses an account).
/// </summary>
public static class RelationshipKinds
{
    public static readonly IReadOnlyList<(string Name, bool Symmetric)> All =
    [
        ("uses", false),
        ("owns", false),
        ("controls", false),
        ("operates", false),
        ("communicates-with", true),
        ("member-of", false),
        ("works-for", false),
        ("associate-of", true),
        ("family-of", true),
        ("paid", false),
        ("located-at", false),
        ("resolves-to", false),
        ("registered-to", false),
        ("alias-of", true),
        ("related-to", true),
    ];

    public static string Choices => string.Join(", ", All.Select(k => k.Name));

    public static bool TryParse(string? text, out string name)
    {
        var wanted = text?.Trim().ToLowerInvariant().Replace(' ', '-') ?? string.Empty;
        name = All.FirstOrDefault(k => k.Name == wanted).Name ?? string.Empty;
        return name.Length > 0;
    }

    public static bool IsSymmetric(string name) => All.Any(k => k.Name == name && k.Symmetric);
}

public static class SourceKinds
{
    public static readonly IReadOnlyList<(SourceKind Kind, string Name)> All =
    [
        (SourceKind.Text, "text"),
        (SourceKind.Evidence, "evidence"),
        (SourceKind.Finding, "finding"),
        (SourceKind.Report, "report"),
    ];

    public static string Spell(this SourceKind kind) => All.First(k => k.Kind == kind).Name;

    public static bool TryParse(string? text, out SourceKind kind) => Spellings.TryParse(text, Spell, out kind);
}
