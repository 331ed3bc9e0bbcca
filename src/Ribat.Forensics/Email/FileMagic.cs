namespace Ribat.Forensics.Email;

/// <summary>
/// The type of a file by its first bytes, never by its name or declared type: those are what a sender chooses.
/// The answer is a media type; <see cref="IsExecutable"/> marks the ones a click runs.
/// </summary>
internal static class FileMagic
{
    public const int HeadLength = 0x8006; // far enough to see an ISO 9660 volume descriptor at 0x8001

    public const string Unknown = "application/octet-stream";
    public const string Zip = "application/zip";
    public const string Message = "message/rfc822";

    public static string Detect(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return "application/x-empty";
        }

        if (head.StartsWith("MZ"u8))
        {
            return "application/x-dosexec";
        }

        if (head.StartsWith("\u007fELF"u8))
        {
            return "application/x-elf";
        }

        if (Starts(head, 0xCF, 0xFA, 0xED, 0xFE) || Starts(head, 0xCE, 0xFA, 0xED, 0xFE) || Starts(head, 0xCA, 0xFE, 0xBA, 0xBE))
        {
            return "application/x-mach-binary";
        }

        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8))
        {
            return Zip;
        }

        if (head.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }

        if (Starts(head, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1))
        {
            return "application/x-ole-storage";
        }

        if (Starts(head, 0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00))
        {
            return "application/x-ms-shortcut";
        }

        return Archive(head) ?? Image(head) ?? Text(head);
    }

    public static bool IsExecutable(string type) =>
        type is "application/x-dosexec" or "application/x-elf" or "application/x-mach-binary" or "application/x-ms-shortcut";

    private static string? Archive(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("Rar!\u001a\u0007"u8))
        {
            return "application/vnd.rar";
        }

        if (Starts(head, 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C))
        {
            return "application/x-7z-compressed";
        }

        if (Starts(head, 0x1F, 0x8B))
        {
            return "application/gzip";
        }

        if (head.StartsWith("MSCF"u8))
        {
            return "application/vnd.ms-cab-compressed";
        }

        if (head.Length >= 0x8006 && head[0x8001..0x8006].SequenceEqual("CD001"u8))
        {
            return "application/x-iso9660-image";
        }

        return null;
    }

    private static string? Image(ReadOnlySpan<byte> head)
    {
        if (Starts(head, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A))
        {
            return "image/png";
        }

        if (Starts(head, 0xFF, 0xD8, 0xFF))
        {
            return "image/jpeg";
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        return null;
    }

    private static string Text(ReadOnlySpan<byte> head)
    {
        var start = Starts(head, 0xEF, 0xBB, 0xBF) ? head[3..] : head;
        var sample = start[..Math.Min(start.Length, 512)];
        if (sample.IndexOfAnyInRange((byte)0, (byte)8) >= 0)
        {
            return Unknown;
        }

        var trimmed = sample.TrimStart(" \t\r\n"u8);
        if (trimmed.StartsWith("{\\rtf"u8))
        {
            return "text/rtf";
        }

        if (trimmed.StartsWith("#!"u8))
        {
            return "text/x-script";
        }

        if (StartsWithIgnoreCase(trimmed, "<!doctype html"u8) || StartsWithIgnoreCase(trimmed, "<html"u8) || StartsWithIgnoreCase(trimmed, "<script"u8))
        {
            return "text/html";
        }

        if (trimmed.StartsWith("<?xml"u8))
        {
            return "application/xml";
        }

        return LooksLikeMessage(sample) ? Message : "text/plain";
    }

    /// <summary>A header block: the first two lines are 'Name: value' with one of the usual message headers.</summary>
    internal static bool LooksLikeMessage(ReadOnlySpan<byte> head)
    {
        var end = head.IndexOf("\n"u8);
        var line = end < 0 ? head : head[..end];
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].IndexOfAnyExceptInRange((byte)33, (byte)126) >= 0)
        {
            return false;
        }

        ReadOnlySpan<string> names = ["from", "received", "return-path", "subject", "date", "message-id", "to", "mime-version", "delivered-to", "x-"];
        var name = System.Text.Encoding.ASCII.GetString(line[..colon]).ToLowerInvariant();
        foreach (var known in names)
        {
            if (name == known || (known == "x-" && name.StartsWith(known, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Starts(ReadOnlySpan<byte> head, params ReadOnlySpan<byte> magic) => head.StartsWith(magic);

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> prefix)
    {
        if (text.Length < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if ((text[i] | 0x20) != (prefix[i] | 0x20))
            {
                return false;
            }
        }

        return true;
    }
}
