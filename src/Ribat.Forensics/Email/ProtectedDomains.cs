using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Email;

/// <summary>
/// Registered domains whose imitations matter (the unit's own, its banks', its government's), each split into its
/// registrable label and public suffix with the label's skeleton precomputed.
/// </summary>
public sealed class ProtectedDomains
{
    private ProtectedDomains(ProtectedDomain[] entries) => Entries = entries;

    public static ProtectedDomains None { get; } = new([]);

    internal IReadOnlyList<ProtectedDomain> Entries { get; }

    public int Count => Entries.Count;

    /// <summary>Parses domains (a host name counts as its registered domain); false names the first bad entry.</summary>
    public static bool TryParse(IEnumerable<string> entries, out ProtectedDomains domains, out string reason)
    {
        var list = new List<ProtectedDomain>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (entry.Length == 0 || entry.StartsWith('#'))
            {
                continue;
            }

            if (!Observables.TryCanonicalise(ObservableType.Domain, entry, out var domain, out var why))
            {
                domains = None;
                reason = $"'{entry}' is not a domain: {why}";
                return false;
            }

            var registered = PublicSuffixList.Default.GetRegisteredDomain(domain.Value);
            if (registered is null)
            {
                domains = None;
                reason = $"'{entry}' is a public suffix, not a domain anyone registers.";
                return false;
            }

            if (seen.Add(registered))
            {
                var suffix = registered[(registered.IndexOf('.') + 1)..];
                var label = registered[..registered.IndexOf('.')];
                list.Add(new ProtectedDomain(registered, label, suffix, Confusables.Skeleton(label)));
            }
        }

        domains = new ProtectedDomains([.. list]);
        reason = string.Empty;
        return true;
    }
}

internal sealed record ProtectedDomain(string Registered, string Label, string Suffix, string Skeleton)
{
    /// <summary>How many edits still count as a typo: none for labels under four letters, one under six, else two.</summary>
    public int MaxEdits => Skeleton.Length switch
    {
        < 4 => 0,
        < 6 => 1,
        _ => 2,
    };
}
