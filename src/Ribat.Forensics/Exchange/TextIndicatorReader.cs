using System.Text;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>Limits and defaults for plain-text lists.</summary>
public sealed record TextReadOptions
{
    public static TextReadOptions Default { get; } = new();

    /// <summary>Every line is this type; <c>null</c> decides each line's type by its shape.</summary>
    public ObservableType? Type { get; init; }

    /// <summary>A longer line is reported and not held.</summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>Indicators read; the rest of the input is not read and that is reported.</summary>
    public int MaxIndicators { get; init; } = 1_000_000;

    public int MaxIssues { get; init; } = 10_000;

    public bool ForDetection { get; init; } = true;
}

/// <summary>
/// Reads a list with one value per line, as block lists and analysts' notes are written: blank lines and lines
/// starting with <c>#</c> are ignored, and text after <c> #</c> (white space, then <c>#</c>) is the value's comment.
/// Defanged values are refanged. A line that is not exactly one observable is an issue with its line number; prose
/// with values scattered in it is <see cref="IocExtractor"/>'s job, not this reader's.
/// </summary>
public static class TextIndicatorReader
{
    public static ImportResult<IReadOnlyList<ExchangeIndicator>> Read(TextReader text, TextReadOptions? options = null)
    {
        var list = new ListReader(options ?? TextReadOptions.Default);
        TextPump.Run(text, list);
        return list.Result();
    }

    public static ImportResult<IReadOnlyList<ExchangeIndicator>> Read(Stream text, TextReadOptions? options = null)
    {
        using var reader = TextPump.Open(text);
        return Read(reader, options);
    }

    public static async Task<ImportResult<IReadOnlyList<ExchangeIndicator>>> ReadAsync(Stream text, TextReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var reader = TextPump.Open(text);
        var list = new ListReader(options ?? TextReadOptions.Default);
        await TextPump.RunAsync(reader, list, cancellationToken).ConfigureAwait(false);
        return list.Result();
    }

    /// <summary>The first <c>#</c> after white space: <c>http://x.example/#frag</c> keeps its fragment.</summary>
    private static int CommentStart(string text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '#' && char.IsWhiteSpace(text[i - 1]))
            {
                return i;
            }
        }

        return -1;
    }

    private sealed class ListReader(TextReadOptions options) : ITextSink
    {
        private readonly StringBuilder _line = new();
        private readonly IssueList _issues = new(options.MaxIssues);
        private readonly List<ExchangeIndicator> _indicators = [];
        private int _number;
        private long _length;
        private bool _afterCr;
        private bool _any;

        public bool Stopped { get; private set; }

        public ImportResult<IReadOnlyList<ExchangeIndicator>> Result() => new(_indicators, _issues.Build(), []);

        public void Feed(ReadOnlySpan<char> chunk)
        {
            while (!chunk.IsEmpty && !Stopped)
            {
                if (_afterCr)
                {
                    _afterCr = false;
                    if (chunk[0] == '\n')
                    {
                        chunk = chunk[1..];
                        continue;
                    }
                }

                var end = chunk.IndexOfAny('\r', '\n');
                var part = end < 0 ? chunk : chunk[..end];
                if (_length + part.Length <= options.MaxLineLength)
                {
                    _line.Append(part);
                }

                _length += part.Length;
                _any = true;
                if (end < 0)
                {
                    return;
                }

                _afterCr = chunk[end] == '\r';
                chunk = chunk[(end + 1)..];
                EndLine();
            }
        }

        public void Complete()
        {
            if (_any && !Stopped)
            {
                EndLine();
            }
        }

        private void EndLine()
        {
            _number = _number == int.MaxValue ? _number : _number + 1;
            var length = _length;
            var line = _line.ToString();
            (_length, _any) = (0, false);
            _line.Clear();
            if (length > options.MaxLineLength)
            {
                _issues.Add(_number, null, $"the line is {length} characters, longer than the {options.MaxLineLength} allowed; skipped.");
                return;
            }

            Take(_number == 1 ? line.TrimStart('\uFEFF') : line);
        }

        private void Take(string line)
        {
            var text = line.Trim();
            if (text.Length == 0 || text[0] == '#')
            {
                return;
            }

            string? comment = null;
            var hash = CommentStart(text);
            if (hash > 0)
            {
                comment = text[(hash + 1)..].Trim();
                text = text[..hash].Trim();
            }

            Canonical value;
            string reason;
            var ok = options.Type is { } type
                ? Observables.TryCanonicalise(type, Defang.Refang(text), out value, out reason)
                : ShapeDetector.TryDetect(text, out value, out reason);
            if (!ok)
            {
                _issues.Add(_number, null, reason.StartsWith('\'') ? reason : $"'{IssueText.Excerpt(text)}': {reason}");
                return;
            }

            if (_indicators.Count >= options.MaxIndicators)
            {
                _issues.Add(_number, null, $"stopped after {options.MaxIndicators} indicators, the limit: this line and the rest of the input were not read.");
                Stopped = true;
                return;
            }

            _indicators.Add(new ExchangeIndicator
            {
                Type = value.Type,
                Value = value.Value,
                Display = value.Display,
                Comment = string.IsNullOrEmpty(comment) ? null : comment,
                ForDetection = options.ForDetection,
                Line = _number,
            });
        }
    }
}
