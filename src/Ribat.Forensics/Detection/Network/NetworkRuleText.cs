namespace Ribat.Forensics.Detection;

/// <summary>
/// One Suricata/Snort rule as written: physical lines joined where a line ends with '\', with a map back from each
/// character of the joined text to its line and column in the submitted text.
/// </summary>
internal sealed class NetworkRuleText
{
    private readonly List<(int Offset, int Line, int Column)> _segments = [];

    private NetworkRuleText(string text) => Text = text;

    public string Text { get; }

    public int Line => _segments[0].Line;

    public (int Line, int Column) Position(int offset)
    {
        var segment = _segments[0];
        foreach (var candidate in _segments)
        {
            if (candidate.Offset > offset)
            {
                break;
            }

            segment = candidate;
        }

        return (segment.Line, segment.Column + (offset - segment.Offset));
    }

    /// <summary>Splits the submitted text into rules, skipping blank lines and '#' comments (disabled rules included).</summary>
    public static List<NetworkRuleText> Split(string text)
    {
        var rules = new List<NetworkRuleText>();
        var builder = new System.Text.StringBuilder();
        var segments = new List<(int Offset, int Line, int Column)>();
        var lineNumber = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var indent = raw.Length - raw.TrimStart().Length;
            var line = raw.Trim();
            if (builder.Length == 0 && (line.IsEmpty || line[0] == '#'))
            {
                continue;
            }

            var continued = line.EndsWith("\\");
            segments.Add((builder.Length, lineNumber, indent + 1));
            builder.Append(continued ? line[..^1] : line);
            if (continued)
            {
                continue;
            }

            rules.Add(Build(builder, segments));
        }

        if (builder.Length > 0)
        {
            rules.Add(Build(builder, segments));
        }

        return rules;
    }

    private static NetworkRuleText Build(System.Text.StringBuilder builder, List<(int Offset, int Line, int Column)> segments)
    {
        var rule = new NetworkRuleText(builder.ToString());
        rule._segments.AddRange(segments);
        builder.Clear();
        segments.Clear();
        return rule;
    }
}
