using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;

namespace Ribat.Tests.Cooperation;

/// <summary>
/// Reads back the text a PDF draws, page by page, one line per text-showing operator: glyph codes are mapped to
/// characters through each font's ToUnicode map (single-byte fonts without one as Windows-1252).
/// </summary>
internal static partial class PdfText
{
    public static IReadOnlyList<string> Pages(byte[] pdf)
    {
        PdfSharpLicense.SetAgplLicense();

        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        var pages = new List<string>();
        foreach (var page in document.Pages)
        {
            var maps = FontMaps(page);
            var text = new StringBuilder();
            Dictionary<int, string>? font = null;
            var wide = false;
            Walk(ContentReader.ReadContent(page), op =>
            {
                switch (op.OpCode.Name)
                {
                    case "Tf" when op.Operands[0] is CName name:
                        (font, wide) = maps.TryGetValue(name.Name, out var found) ? found : (null, false);
                        break;
                    case "Tj" or "'" or "\"":
                        Decode(op.Operands[^1], font, wide, text);
                        text.Append('\n');
                        break;
                    case "TJ" when op.Operands[0] is CArray parts:
                        foreach (var part in parts)
                        {
                            Decode(part, font, wide, text);
                        }

                        text.Append('\n');
                        break;
                }
            });
            pages.Add(text.ToString());
        }

        return pages;
    }

    private static void Walk(CSequence sequence, Action<COperator> visit)
    {
        foreach (var item in sequence)
        {
            switch (item)
            {
                case COperator op:
                    visit(op);
                    break;
                case CSequence inner:
                    Walk(inner, visit);
                    break;
            }
        }
    }

    private static void Decode(CObject operand, Dictionary<int, string>? map, bool wide, StringBuilder text)
    {
        if (operand is not CString s)
        {
            return;
        }

        var bytes = s.Value.Select(c => (byte)c).ToArray();
        if (map is null)
        {
            text.Append(Encoding.Latin1.GetString(bytes));
            return;
        }

        var step = wide ? 2 : 1;
        for (var i = 0; i + step <= bytes.Length; i += step)
        {
            var code = wide ? bytes[i] << 8 | bytes[i + 1] : bytes[i];
            text.Append(map.TryGetValue(code, out var chars) ? chars : "\uFFFD");
        }
    }

    private static Dictionary<string, (Dictionary<int, string>? Map, bool Wide)> FontMaps(PdfPage page)
    {
        var maps = new Dictionary<string, (Dictionary<int, string>?, bool)>(StringComparer.Ordinal);
        var fonts = page.Resources.Elements.GetDictionary("/Font");
        if (fonts is null)
        {
            return maps;
        }

        foreach (var name in fonts.Elements.Keys)
        {
            var font = fonts.Elements.GetDictionary(name);
            var wide = font?.Elements.GetName("/Subtype") == "/Type0";
            var unicode = font?.Elements.GetDictionary("/ToUnicode");
            maps[name] = (unicode?.Stream is { } stream ? ParseCMap(Encoding.ASCII.GetString(stream.UnfilteredValue)) : null, wide);
        }

        return maps;
    }

    private static Dictionary<int, string> ParseCMap(string cmap)
    {
        var map = new Dictionary<int, string>();
        foreach (Match block in BfChar().Matches(cmap))
        {
            foreach (Match pair in HexPair().Matches(block.Groups[1].Value))
            {
                map[Hex(pair.Groups[1].Value)] = Utf16(pair.Groups[2].Value);
            }
        }

        foreach (Match block in BfRange().Matches(cmap))
        {
            foreach (Match range in HexRange().Matches(block.Groups[1].Value))
            {
                var (low, high, start) = (Hex(range.Groups[1].Value), Hex(range.Groups[2].Value), Hex(range.Groups[3].Value));
                for (var code = low; code <= high; code++)
                {
                    map[code] = char.ConvertFromUtf32(start + code - low);
                }
            }
        }

        return map;
    }

    private static int Hex(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string Utf16(string hex) =>
        new(Enumerable.Range(0, hex.Length / 4).Select(i => (char)Hex(hex.Substring(i * 4, 4))).ToArray());

    [GeneratedRegex(@"beginbfchar(.*?)endbfchar", RegexOptions.Singleline)]
    private static partial Regex BfChar();

    [GeneratedRegex(@"beginbfrange(.*?)endbfrange", RegexOptions.Singleline)]
    private static partial Regex BfRange();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex HexPair();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex HexRange();
}
