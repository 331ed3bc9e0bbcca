namespace Ribat.Forensics.Files;

internal readonly record struct SectionHeader(string Name, uint VirtualSize, uint VirtualAddress, uint RawSize, uint RawOffset, uint Characteristics);

/// <summary>The bytes being parsed, the section table that maps addresses into them, and the anomalies found.</summary>
internal ref struct PeContext
{
    private const int MaxAnomalies = 100;

    public PeContext(ReadOnlySpan<byte> image, long fileLength)
    {
        Image = image;
        FileLength = Math.Max(fileLength, image.Length);
    }

    public ReadOnlySpan<byte> Image { get; }

    public long FileLength { get; }

    public uint FileAlignment { get; set; }

    public List<SectionHeader> Sections { get; set; } = [];

    public List<string> Anomalies { get; } = [];

    /// <summary>True when the whole file is in <see cref="Image"/>, so data missing from it is damage, not a limit.</summary>
    public readonly bool Whole => FileLength == Image.Length;

    public readonly void Anomaly(string text)
    {
        if (Anomalies.Count < MaxAnomalies)
        {
            Anomalies.Add(text);
        }
        else if (Anomalies.Count == MaxAnomalies)
        {
            Anomalies.Add($"more than {MaxAnomalies} anomalies; the rest are not listed");
        }
    }

    /// <summary>
    /// The raw offset Windows' loader uses: with a file alignment of 0x200 or more, PointerToRawData is rounded down
    /// to 0x200 (packers exploit the difference).
    /// </summary>
    public readonly uint AlignedRawOffset(SectionHeader section) =>
        FileAlignment >= 0x200 ? section.RawOffset & ~0x1FFu : section.RawOffset;

    /// <summary>The file offset of a relative virtual address, or -1 when no section (nor the headers) holds it.</summary>
    public readonly long ToOffset(uint rva)
    {
        foreach (var section in Sections)
        {
            var span = Math.Max(section.VirtualSize, section.RawSize);
            if (rva >= section.VirtualAddress && rva - section.VirtualAddress < span)
            {
                var into = rva - section.VirtualAddress;
                return into < section.RawSize ? (long)AlignedRawOffset(section) + into : -1;
            }
        }

        var firstSection = Sections.Count == 0 ? uint.MaxValue : Sections.Min(s => s.VirtualAddress);
        return rva < firstSection && rva < FileLength ? rva : -1;
    }

    /// <summary>The bytes at <paramref name="rva"/>, up to <paramref name="max"/> of them; empty when unmapped or not read.</summary>
    public readonly ReadOnlySpan<byte> At(uint rva, int max)
    {
        var offset = ToOffset(rva);
        if (offset < 0 || offset >= Image.Length)
        {
            return default;
        }

        return Image.Slice((int)offset, (int)Math.Min(max, Image.Length - offset));
    }

    /// <summary>A NUL-terminated ASCII name at <paramref name="rva"/>; null when unmapped or unterminated within 512 bytes.</summary>
    public readonly string? NameAt(uint rva)
    {
        var bytes = At(rva, 512);
        var end = bytes.IndexOf((byte)0);
        if (end < 0)
        {
            return null;
        }

        return System.Text.Encoding.Latin1.GetString(bytes[..end]);
    }

    public readonly IReadOnlyList<PeSection> SectionReports()
    {
        var reports = new List<PeSection>(Sections.Count);
        foreach (var section in Sections)
        {
            double? entropy = null;
            var offset = (long)AlignedRawOffset(section);
            if (section.RawSize > 0 && offset < Image.Length)
            {
                entropy = ByteHistogram.Of(Image.Slice((int)offset, (int)Math.Min(section.RawSize, Image.Length - offset)));
            }

            reports.Add(new PeSection(section.Name, section.VirtualAddress, section.VirtualSize, section.RawOffset, section.RawSize, entropy,
                PeNames.SectionCharacteristics(section.Characteristics)));
        }

        return reports;
    }
}
