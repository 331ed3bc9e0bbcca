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
        page.Footers(request.Id.ToString(), text("form.page"));

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static string Party(PartyDto party) =>
        party.Country is { Length: > 0 } country ? $"{party.Name ?? "—"} ({country})" : party.Name ?? "—";

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The request form's elements on <see cref="PdfPageFlow"/>: title, headings, labelled fields, a signature block.</summary>
    private sealed class FormPages(PdfDocument document) : PdfPageFlow(document, Small)
    {
        private static readonly XFont Small = new(FormFonts.Family, 8);

        private readonly XFont _body = new(FormFonts.Family, 10);
        private readonly XFont _label = new(FormFonts.Family, 9, XFontStyleEx.Bold);
        private readonly XFont _heading = new(FormFonts.Family, 12, XFontStyleEx.Bold);
        private readonly XFont _title = new(FormFonts.Family, 16, XFontStyleEx.Bold);

        public void Title(string title, string type)
        {
            Lines(title, _title, 4);
            Lines(type, _heading, 10);
            Rule();
        }

        public void Heading(string heading)
        {
            Y += 8;
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
            Y += 16;
            Room(_heading.GetHeight() + lines.Count * lineGap + 8);
            Lines(heading, _heading, 6);
            foreach (var caption in lines)
            {
                Y += lineGap - Small.GetHeight();
                Graphics.DrawLine(XPens.Black, Margin, Y, Margin + Width * 0.6, Y);
                Lines(caption, Small, 0);
            }
        }
    }
}
