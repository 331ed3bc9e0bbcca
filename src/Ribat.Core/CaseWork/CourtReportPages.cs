using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Ribat.Core.Cooperation;

namespace Ribat.Core.CaseWork;

/// <summary>
/// A writing position on A4 pages for the court report: headings, label and value pairs, monospaced hashes, pictures
/// with their legend. What does not fit goes on to the next page; Arabic is shaped and ordered by
/// <see cref="ArabicText"/> in the typeface of <see cref="FormFonts"/>, like the request form.
/// </summary>
internal sealed class CourtReportPages
{
    private const double Margin = 50;
    private const double FooterSpace = 36;
    private static readonly XBrush Ink = XBrushes.Black;
    private static readonly XBrush Grey = new XSolidBrush(XColor.FromArgb(90, 90, 90));

    private readonly PdfDocument _document;
    private readonly bool _rightToLeft;
    private readonly XFont _body = new(FormFonts.Family, 9);
    private readonly XFont _label = new(FormFonts.Family, 8, XFontStyleEx.Bold);
    private readonly XFont _heading = new(FormFonts.Family, 13, XFontStyleEx.Bold);
    private readonly XFont _subheading = new(FormFonts.Family, 10, XFontStyleEx.Bold);
    private readonly XFont _title = new(FormFonts.Family, 18, XFontStyleEx.Bold);
    private readonly XFont _small = new(FormFonts.Family, 7.5);
    private XGraphics _graphics = null!;
    private PdfPage _page = null!;
    private double _y;

    /// <param name="rightToLeft">Whether the reader's language is written right to left (labels align right).</param>
    public CourtReportPages(PdfDocument document, bool rightToLeft)
    {
        _document = document;
        _rightToLeft = rightToLeft;
        NewPage();
    }

    private double Width => _page.Width.Point - 2 * Margin;

    private double Bottom => _page.Height.Point - Margin - FooterSpace;

    public void Title(string title, string subtitle)
    {
        Lines(title, _title, 4);
        Lines(subtitle, _heading, 8);
        Rule();
    }

    public void Heading(string heading)
    {
        _y += 10;
        Room(_heading.GetHeight() * 2 + _body.GetHeight() * 2);
        Lines(heading, _heading, 2);
        Rule();
    }

    public void Subheading(string text)
    {
        _y += 4;
        Room(_subheading.GetHeight() + _body.GetHeight() * 2);
        Lines(text, _subheading, 2);
    }

    public void Pair(string label, string? value)
    {
        Room(_label.GetHeight() + _body.GetHeight());
        Lines(label, _label, 0);
        Lines(string.IsNullOrWhiteSpace(value) ? "—" : value, _body, 3);
    }

    public void Paragraph(string value) => Lines(value, _body, 3);

    /// <summary>A digest on a line of its own, so a reader (and a program) finds it whole.</summary>
    public void Hash(string label, string hex)
    {
        Room(_body.GetHeight() * 2);
        Lines(label, _label, 0);
        Lines(hex, _body, 2);
    }

    public void Picture(byte[] png, string caption, IReadOnlyList<ChartKey> legend)
    {
        using var image = XImage.FromStream(new MemoryStream(png));
        var height = Width * image.PixelHeight / image.PixelWidth;
        Room(_subheading.GetHeight() + height + _body.GetHeight() * 2);
        Lines(caption, _subheading, 2);
        _graphics.DrawImage(image, Margin, _y, Width, height);
        _y += height + 4;
        foreach (var key in legend)
        {
            Room(_body.GetHeight());
            var swatch = _rightToLeft ? Margin + Width - 10 : Margin;
            _graphics.DrawRectangle(new XSolidBrush(XColor.FromArgb(key.Red, key.Green, key.Blue)), swatch, _y + 2, 8, 8);
            Lines(key.Label, _body, 0, indent: 14);
        }

        _y += 6;
    }

    /// <summary>Draws "case id · page n of m" at the foot of every page once the number of pages is known.</summary>
    public void Footers(string left, string pageOf)
    {
        _graphics.Dispose();
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = _document.Pages[i];
            using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var footer = $"{left} · {string.Format(CultureInfo.CurrentCulture, pageOf, i + 1, count)}";
            graphics.DrawString(ArabicText.Visual(ArabicText.Shape(footer), ArabicText.StartsRightToLeft(pageOf)), _small, Grey,
                new XRect(Margin, page.Height.Point - Margin, page.Width.Point - 2 * Margin, _small.GetHeight()), XStringFormats.TopCenter);
        }
    }

    private void NewPage()
    {
        _graphics?.Dispose();
        _page = _document.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        _graphics = XGraphics.FromPdfPage(_page);
        _y = Margin;
    }

    private void Room(double height)
    {
        if (_y + height > Bottom)
        {
            NewPage();
        }
    }

    private void Rule()
    {
        _graphics.DrawLine(XPens.LightGray, Margin, _y, Margin + Width, _y);
        _y += 4;
    }

    /// <summary>A paragraph wrapped to the width, right-aligned and in visual order when it is right to left.</summary>
    private void Lines(string value, XFont font, double after, double indent = 0)
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
                    _graphics.DrawString(visual, font, Ink, Margin + Width - indent, _y, XStringFormats.TopRight);
                }
                else
                {
                    _graphics.DrawString(visual, font, Ink, Margin + indent, _y, XStringFormats.TopLeft);
                }

                _y += height;
            }
        }

        _y += after;
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

    private bool Fits(string text, XFont font, double width) => _graphics.MeasureString(text, font).Width <= width;
}
