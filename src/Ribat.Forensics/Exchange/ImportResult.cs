namespace Ribat.Forensics.Exchange;

/// <summary>
/// Something in the input that was not imported, or not imported whole, and why. <see cref="Line"/> is 1-based (0 when
/// the problem has no single line); <see cref="Column"/> is a CSV column name or a JSON path such as
/// <c>Event.Object[2].Attribute[0].value</c>.
/// </summary>
public sealed record ImportIssue(int Line, string? Column, string Reason)
{
    public override string ToString() => Column is null ? $"line {Line}: {Reason}" : $"line {Line}, {Column}: {Reason}";
}

/// <summary>
/// The outcome of an import. <see cref="Value"/> is <c>null</c> only when nothing could be read at all (the input is not
/// JSON, is larger than allowed, has no header...); then <see cref="Issues"/> says why in one line. Otherwise good
/// records are kept and every bad one is named in <see cref="Issues"/>. <see cref="Skipped"/> lists well-formed content
/// Ribat has no place for (a MISP type with no observable type, a comment line), so a user can see exactly what was left.
/// </summary>
public sealed record ImportResult<T>(T? Value, IReadOnlyList<ImportIssue> Issues, IReadOnlyList<ImportIssue> Skipped)
    where T : class
{
    public bool Succeeded => Value is not null;

    internal static ImportResult<T> Failed(int line, string? column, string reason) =>
        new(null, [new ImportIssue(line, column, reason)], []);
}

/// <summary>Collects issues up to a limit, so hostile input cannot turn the report itself into a memory problem.</summary>
internal sealed class IssueList(int limit)
{
    private readonly List<ImportIssue> _items = [];
    private int _unlisted;

    public int Count => _items.Count + _unlisted;

    public void Add(int line, string? column, string reason)
    {
        if (_items.Count < limit)
        {
            _items.Add(new ImportIssue(line, column, reason));
        }
        else
        {
            _unlisted++;
        }
    }

    public IReadOnlyList<ImportIssue> Build()
    {
        if (_unlisted > 0)
        {
            _items.Add(new ImportIssue(0, null, $"{_unlisted} more not listed: only the first {limit} are kept."));
            _unlisted = 0;
        }

        return _items;
    }
}
