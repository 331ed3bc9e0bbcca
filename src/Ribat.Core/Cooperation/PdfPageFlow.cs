using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Ribat.Core.Cooperation;

/// <summary>
/// A writing position that moves down A4 pages and opens the next page when the current one is full: text wrapped to
/// the width (a word wider than a line, a hash or a URL, is cut where it must), right-aligned and in visual order when
/// it is right to left (<see cref="ArabicText"/>, in the typeface of <see cref="FormFonts"/>), rules, and a footer on
/// every page once their number is known. The request form and the court report lay themselves out on it.
/// </summary>
internal abstract class PdfPageFlow
{
    protected const double Margin = 50;
    private const double FooterSpace = 36;
    protected static readonly XBrush Ink = XBrushes.Black;
    private static readonly XBrush Grey = new XSolidBrush(XColor.FromArgb(90, 90, 90));

    private readonly PdfDocument _document;
    private readonly XFont _footer;
    private PdfPage _page = null!;

    /// <param name="footer">The font of the footer line.</param>
    protected PdfPageFlow(PdfDocument document, XFont footer)
    {
        _document = document;
        _footer = footer;
        NewPage();
    }

    protected XGraphics Graphics { get; private set; } = null!;

    /// <summary>How far down the current page the next line goes.</summary>
    protected double Y { get; set; }

    protected double Width => _page.Width.Point - 2 * Margin;

    private double Bottom => _page.Height.Point - Margin - FooterSpace;

    /// <summary>Draws "<paramref name="left"/> · page n of m" at the foot of every page; the last thing drawn.</summary>
    public void Footers(string left, string pageOf)
    {
        Graphics.Dispose();
        var count = _document.PageCount;
        var rightToLeft = ArabicText.StartsRightToLeft(pageOf);
        for (var i = 0; i < count; i++)
        {
            var page = _document.Pages[i];
            using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var footer = $"{left} · {string.Format(CultureInfo.CurrentCulture, pageOf, i + 1, count)}";
            graphics.DrawString(ArabicText.Visual(ArabicText.Shape(footer), rightToLeft), _footer, Grey,
                new XRect(Margin, page.Height.Point - Margin, page.Width.Point - 2 * Margin, _footer.GetHeight()), XStringFormats.TopCenter);
        }
    }

    /// <summary>Opens the next page when less than <paramref name="height"/> is left on this one.</summary>
    protected void Room(double height)
    {
        if (Y + height > Bottom)
        {
            NewPage();
        }
    }

    protected void Rule()
    {
        Graphics.DrawLine(XPens.LightGray, Margin, Y, Margin + Width, Y);
        Y += 4;
    }

    /// <summary>Writes each paragraph of <paramref name="value"/> wrapped to the width less <paramref name="indent"/>.</summary>
    protected void Lines(string value, XFont font, double after, double indent = 0)
    {
        var height = font.GetHeight();
        foreach (var paragraph in value.ReplaceLineEndings("\n").Split('\n'))
        {
            var rightToLeft = ArabicText.StartsRightToLeft(paragraph);
            foreach (var line in Wrap(ArabicText.Shape(paragraph), font, Width - indent))
            {
                Room(height);
                var visual = ArabicText.Visual(line, rightToLeft);
                if (rightToLeft)
                {
                    Graphics.DrawString(visual, font, Ink, Margin + Width - indent, Y, XStringFormats.TopRight);
                }
                else
                {
                    Graphics.DrawString(visual, font, Ink, Margin + indent, Y, XStringFormats.TopLeft);
                }

                Y += height;
            }
        }

        Y += after;
    }

    private void NewPage()
    {
        Graphics?.Dispose();
        _page = _document.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        Graphics = XGraphics.FromPdfPage(_page);
        Y = Margin;
    }

    /// <summary>Breaks at spaces; a word wider than the line is cut where it must.</summary>
    private List<string> Wrap(string paragraph, XFont font, double width)
    {
        var lines = new List<string>();
        var current = string.Empty;
        foreach (var word in paragraph.Split(' '))
        {
            var candidate = current.Length == 0 ? word : $"{current} {word}";
            if (Fits(candidate, font, width))
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            current = word;
            while (current.Length > 1 && !Fits(current, font, width))
            {
                var cut = current.Length - 1;
                while (cut > 1 && !Fits(current[..cut], font, width))
                {
                    cut = Math.Max(1, cut * 3 / 4);
                }

                while (cut + 1 < current.Length && Fits(current[..(cut + 1)], font, width))
                {
                    cut++;
                }

                lines.Add(current[..cut]);
                current = current[cut..];
            }
        }

        lines.Add(current);
        return lines;
    }

    private bool Fits(string text, XFont font, double width) => Graphics.MeasureString(text, font).Width <= width;
}
