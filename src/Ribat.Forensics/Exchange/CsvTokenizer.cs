using System.Text;

namespace Ribat.Forensics.Exchange;

/// <summary>A problem with one CSV record: the physical line, the 0-based field, and why.</summary>
internal readonly record struct CsvRecordError(int Line, int Field, string Reason);

internal interface ICsvRecordSink
{
    /// <summary>One record. <paramref name="fields"/> is reused after the call. Return <c>false</c> to stop reading.</summary>
    bool Record(List<string> fields, int line, CsvRecordError? error);
}

/// <summary>
/// RFC 4180 as a push state machine: quoted fields, doubled quotes, embedded line breaks, CRLF, LF or a lone CR.
/// Lenient where files in the wild differ and the meaning is plain (a quote inside an unquoted field is a
/// character; text after a closing quote is appended). No field grows past <c>maxField</c> and no record past
/// <c>maxRecord</c> characters: the record is then read to its end and reported, never held.
/// When no delimiter is given, the first line decides among comma, semicolon and tab.
/// </summary>
internal sealed class CsvTokenizer(char? delimiter, int maxField, int maxRecord, ICsvRecordSink sink) : ITextSink
{
    private const string Candidates = ",;\t";

    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();
    private readonly StringBuilder _firstLine = new();
    private State _state = State.FieldStart;
    private char _delimiter = delimiter ?? '\0';
    private bool _detected = delimiter is not null;
    private bool _started;
    private bool _afterCr;
    private bool _atRecordStart = true;
    private int _line = 1;
    private int _recordLine = 1;
    private int _quoteLine;
    private int _recordLength;
    private CsvRecordError? _error;

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    public bool Stopped { get; private set; }

    public char Delimiter => _delimiter;

    public void Feed(ReadOnlySpan<char> chunk)
    {
        if (!_started && chunk.Length > 0)
        {
            _started = true;
            if (chunk[0] == '\uFEFF')
            {
                chunk = chunk[1..];
            }
        }

        if (!_detected)
        {
            chunk = Detect(chunk, final: false);
        }

        foreach (var c in chunk)
        {
            if (Stopped)
            {
                return;
            }

            Process(c);
        }
    }

    public void Complete()
    {
        if (!_detected)
        {
            Detect([], final: true);
        }

        if (Stopped || _atRecordStart)
        {
            return;
        }

        if (_state == State.Quoted)
        {
            _error = new CsvRecordError(_quoteLine, _fields.Count, $"the quoted field opened on line {_quoteLine} is never closed (the input ends inside it).");
        }

        EndField();
        EndRecord();
    }

    /// <summary>Holds the first line back until it is complete, counts the candidates outside quotes, then replays it.</summary>
    private ReadOnlySpan<char> Detect(ReadOnlySpan<char> chunk, bool final)
    {
        var end = chunk.IndexOf('\n');
        _firstLine.Append(end < 0 ? chunk : chunk[..(end + 1)]);
        if (end < 0 && !final && _firstLine.Length <= maxRecord)
        {
            return [];
        }

        var counts = new int[Candidates.Length];
        var quoted = false;
        foreach (var chunkPart in _firstLine.GetChunks())
        {
            foreach (var c in chunkPart.Span)
            {
                quoted ^= c == '"';
                var at = Candidates.IndexOf(c);
                if (!quoted && at >= 0)
                {
                    counts[at]++;
                }
            }
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            best = counts[i] > counts[best] ? i : best;
        }

        _delimiter = Candidates[best];
        _detected = true;
        var replay = _firstLine.ToString();
        _firstLine.Clear();
        foreach (var c in replay)
        {
            if (Stopped)
            {
                return [];
            }

            Process(c);
        }

        return end < 0 ? [] : chunk[(end + 1)..];
    }

    private void Process(char c)
    {
        if (_afterCr)
        {
            _afterCr = false;
            _line++;
            if (c == '\n')
            {
                if (_state == State.Quoted)
                {
                    Append(c);
                }

                return;
            }
        }

        if (_atRecordStart)
        {
            _atRecordStart = false;
            _recordLine = _line;
        }

        if (++_recordLength > maxRecord && _error is null)
        {
            _error = new CsvRecordError(_recordLine, _fields.Count, $"the record is longer than {maxRecord} characters, the limit.");
        }

        switch (_state)
        {
            case State.FieldStart when c == '"':
                _state = State.Quoted;
                _quoteLine = _line;
                break;
            case State.Quoted when c == '"':
                _state = State.QuoteInQuoted;
                break;
            case State.Quoted:
                Append(c);
                break;
            case State.QuoteInQuoted when c == '"':
                Append(c);
                _state = State.Quoted;
                break;
            default:
                if (c == _delimiter)
                {
                    EndField();
                }
                else if (c is '\r' or '\n')
                {
                    EndField();
                    EndRecord();
                }
                else
                {
                    Append(c);
                    _state = State.Unquoted;
                }

                break;
        }

        if (c == '\n')
        {
            _line++;
        }
        else if (c == '\r')
        {
            _afterCr = true;
        }
    }

    private void Append(char c)
    {
        if (_error is not null)
        {
            return;
        }

        if (_field.Length >= maxField)
        {
            _error = new CsvRecordError(_recordLine, _fields.Count, $"the field is longer than {maxField} characters, the limit.");
            return;
        }

        _field.Append(c);
    }

    private void EndField()
    {
        if (_error is null)
        {
            // A record already in error is only read to its end: its fields are not kept, however many there are.
            _fields.Add(_field.ToString());
        }

        _field.Clear();
        _state = State.FieldStart;
    }

    private void EndRecord()
    {
        if (!sink.Record(_fields, _recordLine, _error))
        {
            Stopped = true;
        }

        _fields.Clear();
        _error = null;
        _recordLength = 0;
        _atRecordStart = true;
    }
}
