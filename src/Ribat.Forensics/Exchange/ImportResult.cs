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
/// Ribat has no place for (a MISP type with no observable type, a deleted attribute), so a user can see exactly what was
/// left.
/// </summary>
public sealed record ImportResult<T>(T? Value, IReadOnlyList<ImportIssue> Issues, IReadOnlyList<ImportIssue> Skipped)
    where T : class
{
    public bool Succeeded => Value is not null;

    internal static ImportResult<T> Failed(int line, string? column, string reason) =>
        new(null, [new ImportIssue(line, column, IssueText.Excerpt(reason, 400))], []);
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
            _items.Add(new ImportIssue(line, column is null ? null : IssueText.Excerpt(column, 200), IssueText.Excerpt(reason, 1000)));
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

internal static class IssueText
{
    /// <summary>
    /// A short, single-line quote of input for an issue message: control characters are written as escapes
    /// (<c>\n</c>, <c>\u0007</c>) so a hostile value can neither break the line nor hide what it holds.
    /// </summary>
    public static string Excerpt(string text, int max = 80)
    {
        var builder = new System.Text.StringBuilder(Math.Min(text.Length, max) + 8);
        foreach (var c in text)
        {
            if (builder.Length >= max - 3)
            {
                return builder.Append("...").ToString();
            }

            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => builder.Append($"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
