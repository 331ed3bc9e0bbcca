using PdfSharp;
using PdfSharp.Fonts;

namespace Ribat.Core.Cooperation;

/// <summary>
/// The one typeface request forms are printed in: DejaVu Sans, because it carries Latin, Arabic (with its
/// presentation forms) and the symbols the form uses. It is read from the system's font folder (Debian package
/// <c>fonts-dejavu-core</c>); nothing is embedded in the executable.
/// </summary>
internal sealed class FormFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    public const string Folder = "/usr/share/fonts/truetype/dejavu/";
    private const string Regular = "DejaVuSans.ttf";
    private const string Bold = "DejaVuSans-Bold.ttf";

    private static readonly FormFonts Instance = new();
    private static readonly Lock Gate = new();

    /// <summary>Registers the resolver once per process, after checking both faces are there.</summary>
    /// <exception cref="FileNotFoundException">The font is not installed; the message says which package brings it.</exception>
    public static void Ensure()
    {
        foreach (var face in (ReadOnlySpan<string>)[Regular, Bold])
        {
            if (!File.Exists(Path.Combine(Folder, face)))
            {
                throw new FileNotFoundException(
                    $"Printing a request form needs the DejaVu Sans font, and {Path.Combine(Folder, face)} is missing; install the Debian package fonts-dejavu-core.",
                    Path.Combine(Folder, face));
            }
        }

        lock (Gate)
        {
            // PDFsharp 6.5 is published under the AGPL 3.0 only and asks its user to say so before it works.
            PdfSharpLicense.SetAgplLicense();

            if (GlobalFontSettings.FontResolver is not FormFonts)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(isBold ? Bold : Regular);

    public byte[]? GetFont(string faceName) => File.ReadAllBytes(Path.Combine(Folder, faceName));
}
