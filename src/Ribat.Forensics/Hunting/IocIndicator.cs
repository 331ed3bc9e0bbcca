using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Hunting;

/// <summary>
/// One indicator to hunt for: its type, its canonical value (<see cref="Observables.TryCanonicalise"/>), and what a
/// hit should name: the intelligence store's id and a label, or the indicator file's line number and comment.
/// </summary>
public sealed record IocIndicator(ObservableType Type, string Value, string? Id = null, string? Label = null);

/// <summary>
/// An indicator seen in an event: which field, and the text of that field that matched (a subdomain for a domain
/// indicator, an address for a CIDR block, the URL whose host is indicated).
/// </summary>
public readonly record struct IocHit(IocIndicator Indicator, string Field, string Text);

/// <summary>An indicator that was not loaded: its line (1-based; for a sequence, its 1-based position), text and why.</summary>
public readonly record struct IocSetProblem(long Line, string Text, string Reason);

/// <summary>The set that was built, and every indicator that was left out with its reason.</summary>
public sealed record IocSetLoad(IocSet Set, IReadOnlyList<IocSetProblem> Problems);
