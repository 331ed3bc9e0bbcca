namespace Ribat.Forensics.Ioc;

internal sealed partial class LineScanner
{
    /// <summary>'+' and a digit at a word start, then digits, spaces, dashes, dots and parentheses (at most 24).</summary>
    private void ScanPhones(string line)
    {
        var from = 0;
        while ((from = line.IndexOf('+', from)) >= 0)
        {
            var start = from++;
            if (start + 1 >= line.Length || !char.IsAsciiDigit(line[start + 1]) || (start > 0 && char.IsLetterOrDigit(line[start - 1])))
            {
                continue;
            }

            var end = start + 1;
            var lastDigit = end;
            while (end < line.Length && end - start <= 24 && (char.IsAsciiDigit(line[end]) || line[end] is ' ' or '-' or '.' or '(' or ')'))
            {
                if (char.IsAsciiDigit(line[end]))
                {
                    lastDigit = end;
                }

                end++;
            }

            end = lastDigit + 1;
            if (end < line.Length && char.IsLetterOrDigit(line[end]))
            {
                continue;
            }

            TryAdd(ObservableType.Phone, line, start, end);
            from = end;
        }
    }

    /// <summary>
    /// Two upper-case letters and two digits at a word start, then letters and digits with optional single spaces
    /// (the printed "GB82 WEST 1234 …" form) until the country's IBAN length is reached.
    /// </summary>
    private void ScanIbans(string line)
    {
        for (var i = 0; i + 15 <= line.Length; i++)
        {
            if (!char.IsAsciiLetterUpper(line[i]) || !char.IsAsciiLetterUpper(line[i + 1]) || !char.IsAsciiDigit(line[i + 2])
                || !char.IsAsciiDigit(line[i + 3]) || (i > 0 && char.IsLetterOrDigit(line[i - 1])))
            {
                continue;
            }

            var expected = IbanCanonicaliser.ExpectedLength(line.AsSpan(i, 2));
            if (expected == 0)
            {
                continue;
            }

            var end = i;
            var count = 0;
            while (end < line.Length && count < expected)
            {
                if (char.IsAsciiLetterOrDigit(line[end]))
                {
                    count++;
                }
                else if (line[end] != ' ' || end + 1 >= line.Length || line[end + 1] == ' ')
                {
                    break;
                }

                end++;
            }

            if (count == expected && (end == line.Length || !char.IsLetterOrDigit(line[end]))
                && TryAdd(ObservableType.Iban, line, i, end))
            {
                i = end;
            }
        }
    }
}
