using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Ribat.Core.Cooperation;

/// <summary>
/// Lays a request out as a paper form on A4: the parties, the type and its legal basis, every field of the type's
/// form under its label, the offences with the requested country's provisions, the deadlines, the attachments with
/// their SHA-256 and a signature block; the request id and "page n of m" on every page. Text too long for a line
/// wraps, and what does not fit on a page goes on to the next.
/// </summary>
internal static class RequestFormDocument
{
    private const double Margin = 50;
    private const double FooterSpace = 36;
    private static readonly XBrush Ink = XBrushes.Black;
    private static readonly XBrush Grey = new XSolidBrush(XColor.FromArgb(90, 90, 90));

    /// <param name="text">The labels in the reader's language (keys of the UI's string tables).</param>
    public static byte[] Render(RequestDto request, Func<string, string> text, DateTimeOffset printedAt)
    {
        FormFonts.Ensure();
        using var document = new PdfDocument();
        document.Info.Title = $"{text($"request.type.{request.Type}")} — {request.Id}";
        document.Info.Creator = "Ribat";
        var page = new FormPages(document);

        page.Title(text("form.title"), text($"request.type.{request.Type}"));
        page.Pair(text("form.requestId"), request.Id.ToString());
        page.Pair(text("request.status"), text($"request.status.{request.Status}"));
        page.Pair(text("form.printedAt"), When(printedAt));
        page.Pair(text("request.subject"), request.Subject);

        page.Heading(text("form.parties"));
        page.Pair(text("form.from"), Party(request.Requester));
        var addressee = Party(request.Addressee);
        page.Pair(text("form.to"), $"{text($"request.addressee.{request.AddresseeKind}")}: {addressee}");

        page.Heading(text("request.field.legalBasis"));
        page.Paragraph(text($"form.legalBasis.{request.Type}"));

        page.Heading(text("form.fields"));
        if (RequestForms.TryParse(request.Type, out var type))
        {
            foreach (var field in RequestForms.For(type))
            {
                var value = request.Fields.TryGetValue(field.Name, out var given) && !string.IsNullOrWhiteSpace(given) ? given : "—";
                page.Pair(text($"request.field.{field.Name}"), value);
            }
        }

        if (request.PreservationDays is { } days)
        {
            page.Pair(text("request.preservationDays"), days.ToString(CultureInfo.InvariantCulture));
        }

        if (request.LinkedRequestId is { } linked)
        {
            page.Pair(text("request.linked"), linked.ToString());
        }

        if (request.Offences.Count > 0)
        {
            page.Heading(text("request.offences"));
            foreach (var offence in request.Offences)
            {
                page.Paragraph($"• {text($"offence.{offence}")}");
            }

            page.Heading(text("request.dualCriminality"));
            foreach (var hint in request.DualCriminality)
            {
                var mapped = hint.Provisions.Count == 0
                    ? string.Format(CultureInfo.CurrentCulture, text("request.noMapping"), hint.Country)
                    : string.Join("; ", hint.Provisions.Select(p => $"{p.Reference} — {p.Title}"));
                page.Pair($"{text($"offence.{hint.Offence}")} (Art. {hint.Article})", mapped);
            }
        }

        page.Heading(text("form.deadlines"));
        if (request.Clocks.Count == 0)
        {
            page.Paragraph(text("form.noDeadlines"));
        }

        foreach (var deadline in request.Clocks)
        {
            var done = deadline.DoneAt is { } at ? $" · {text("form.doneAt")} {When(at)}" : "";
            page.Pair(text($"clock.kind.{deadline.Kind}"), $"{When(deadline.DueAt)} ({text($"clock.state.{deadline.State}")}){done}");
        }

        page.Heading(text("request.attachments"));
        if (request.Attachments.Count == 0)
        {
            page.Paragraph(text("form.noAttachments"));
        }

        foreach (var attachment in request.Attachments)
        {
            page.Pair(attachment.FileName, $"{attachment.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes · SHA-256 {attachment.Sha256}");
        }

        page.Signature(text("form.signature"), [text("form.signatory"), text("form.placeAndDate"), text("form.signatureAndSeal")]);
        page.Footers(request.Id, text("form.page"));

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static string Party(PartyDto party) =>
        party.Country is { Length: > 0 } country ? $"{party.Name ?? "—"} ({country})" : party.Name ?? "—";

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A writing position that moves down the page and opens the next page when the current one is full.</summary>
    private sealed class FormPages
    {
        private readonly PdfDocument _document;
        private readonly XFont _body = new(FormFonts.Family, 10);
        private readonly XFont _label = new(FormFonts.Family, 9, XFontStyleEx.Bold);
        private readonly XFont _heading = new(FormFonts.Family, 12, XFontStyleEx.Bold);
        private readonly XFont _title = new(FormFonts.Family, 16, XFontStyleEx.Bold);
        private readonly XFont _small = new(FormFonts.Family, 8);
        private XGraphics _graphics = null!;
        private PdfPage _page = null!;
        private double _y;

        public FormPages(PdfDocument document)
        {
            _document = document;
            NewPage();
        }

        private double Width => _page.Width.Point - 2 * Margin;

        private double Bottom => _page.Height.Point - Margin - FooterSpace;

        public void Title(string title, string type)
        {
            Lines(title, _title, 4);
            Lines(type, _heading, 10);
            Rule();
        }

        public void Heading(string heading)
        {
            _y += 8;
            Room(_heading.GetHeight() * 2 + _body.GetHeight());
            Lines(heading, _heading, 2);
            Rule();
        }

        public void Pair(string label, string value)
        {
            Room(_label.GetHeight() + _body.GetHeight());
            Lines(label, _label, 1);
            Lines(value, _body, 6);
        }

        public void Paragraph(string value) => Lines(value, _body, 4);

        public void Signature(string heading, IReadOnlyList<string> lines)
        {
            const double lineGap = 34;
            _y += 16;
            Room(_heading.GetHeight() + lines.Count * lineGap + 8);
            Lines(heading, _heading, 6);
            foreach (var caption in lines)
            {
                _y += lineGap - _small.GetHeight();
                _graphics.DrawLine(XPens.Black, Margin, _y, Margin + Width * 0.6, _y);
                Lines(caption, _small, 0);
            }
        }

        /// <summary>Draws "request id · page n of m" at the foot of every page, once the number of pages is known.</summary>
        public void Footers(Guid requestId, string pageOf)
        {
            _graphics.Dispose();
            var count = _document.PageCount;
            for (var i = 0; i < count; i++)
            {
                var page = _document.Pages[i];
                using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
                var y = page.Height.Point - Margin;
                var footer = $"{requestId} · {string.Format(CultureInfo.CurrentCulture, pageOf, i + 1, count)}";
                var rightToLeft = ArabicText.StartsRightToLeft(pageOf);
                graphics.DrawString(ArabicText.Visual(ArabicText.Shape(footer), rightToLeft), _small, Grey, new XRect(Margin, y, page.Width.Point - 2 * Margin, _small.GetHeight()), XStringFormats.TopCenter);
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

        /// <summary>Writes a paragraph wrapped to the page width, right-aligned and in visual order when it is right to left.</summary>
        private void Lines(string value, XFont font, double after)
        {
            var height = font.GetHeight();
            foreach (var paragraph in value.ReplaceLineEndings("\n").Split('\n'))
            {
                var rightToLeft = ArabicText.StartsRightToLeft(paragraph);
                foreach (var line in Wrap(ArabicText.Shape(paragraph), font))
                {
                    Room(height);
                    var visual = ArabicText.Visual(line, rightToLeft);
                    var format = rightToLeft ? XStringFormats.TopRight : XStringFormats.TopLeft;
                    var x = rightToLeft ? Margin + Width : Margin;
                    _graphics.DrawString(visual, font, Ink, x, _y, format);
                    _y += height;
                }
            }

            _y += after;
        }

        /// <summary>Breaks at spaces; a word wider than the line (a hash, a URL) is broken where it must.</summary>
        private List<string> Wrap(string paragraph, XFont font)
        {
            var lines = new List<string>();
            var current = "";
            foreach (var word in paragraph.Split(' '))
            {
                var candidate = current.Length == 0 ? word : $"{current} {word}";
                if (Fits(candidate, font))
                {
                    current = candidate;
                    continue;
                }

                if (current.Length > 0)
                {
                    lines.Add(current);
                }

                current = word;
                while (!Fits(current, font) && current.Length > 1)
                {
                    var cut = current.Length - 1;
                    while (cut > 1 && !Fits(current[..cut], font))
                    {
                        cut = Math.Max(1, cut * 3 / 4);
                    }

                    while (cut + 1 < current.Length && Fits(current[..(cut + 1)], font))
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

        private bool Fits(string text, XFont font) => _graphics.MeasureString(text, font).Width <= Width;
    }
}
