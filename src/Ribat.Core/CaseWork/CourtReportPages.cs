using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Ribat.Core.Cooperation;

namespace Ribat.Core.CaseWork;

/// <summary>
/// The court report's elements on <see cref="PdfPageFlow"/>: headings, label and value pairs, hashes on lines of their
/// own, pictures with their legend.
/// </summary>
internal sealed class CourtReportPages : PdfPageFlow
{
    private static readonly XFont Small = new(FormFonts.Family, 7.5);

    private readonly bool _rightToLeft;
    private readonly XFont _body = new(FormFonts.Family, 9);
    private readonly XFont _label = new(FormFonts.Family, 8, XFontStyleEx.Bold);
    private readonly XFont _heading = new(FormFonts.Family, 13, XFontStyleEx.Bold);
    private readonly XFont _subheading = new(FormFonts.Family, 10, XFontStyleEx.Bold);
    private readonly XFont _title = new(FormFonts.Family, 18, XFontStyleEx.Bold);

    /// <param name="rightToLeft">Whether the reader's language is written right to left (labels align right).</param>
    public CourtReportPages(PdfDocument document, bool rightToLeft)
        : base(document, Small)
    {
        _rightToLeft = rightToLeft;
    }

    public void Title(string title, string subtitle)
    {
        Lines(title, _title, 4);
        Lines(subtitle, _heading, 8);
        Rule();
    }

    public void Heading(string heading)
    {
        Y += 10;
        Room(_heading.GetHeight() * 2 + _body.GetHeight() * 2);
        Lines(heading, _heading, 2);
        Rule();
    }

    public void Subheading(string text)
    {
        Y += 4;
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
        Graphics.DrawImage(image, Margin, Y, Width, height);
        Y += height + 4;
        foreach (var key in legend)
        {
            Room(_body.GetHeight());
            var swatch = _rightToLeft ? Margin + Width - 10 : Margin;
            Graphics.DrawRectangle(new XSolidBrush(XColor.FromArgb(key.Red, key.Green, key.Blue)), swatch, Y + 2, 8, 8);
            Lines(key.Label, _body, 0, indent: 14);
        }

        Y += 6;
    }
}
