using System.Buffers.Binary;

namespace Ribat.Forensics.Files;

/// <summary>
/// Reads a PE file's headers, sections, imports, exports, resources, Authenticode blob and overlay from its bytes.
/// Every offset is bounds-checked: damage becomes an anomaly in the report, never an exception, and the parts that
/// could still be read are reported.
/// </summary>
/// <remarks>
/// The bytes may be only the start of a longer file (<paramref name="fileLength"/> says how long it really is):
/// tables beyond them are reported as not read rather than as damage.
/// </remarks>
public static partial class PeParser
{
    private const int MaxSections = 96;
    private const ushort Pe32 = 0x10B;
    private const ushort Pe32Plus = 0x20B;

    /// <summary>Parses <paramref name="image"/>; false with a reason when it is not a PE at all (no MZ, no PE signature).</summary>
    public static bool TryParse(ReadOnlySpan<byte> image, long fileLength, DateTimeOffset now, out PeReport? report, out string reason)
    {
        report = null;
        if (image.Length < 0x40 || image[0] != 'M' || image[1] != 'Z')
        {
            reason = "no MZ header";
            return false;
        }

        var peOffset = BinaryPrimitives.ReadInt32LittleEndian(image[0x3C..]);
        if (peOffset < 0x40 - 4 || (long)peOffset + 24 > image.Length)
        {
            reason = $"e_lfanew 0x{peOffset:X} points outside the file";
            return false;
        }

        if (!image.Slice(peOffset, 4).SequenceEqual("PE\0\0"u8))
        {
            reason = "no PE signature at e_lfanew (a DOS program?)";
            return false;
        }

        var context = new PeContext(image, fileLength);
        var coff = image.Slice(peOffset + 4, 20);
        var machine = BinaryPrimitives.ReadUInt16LittleEndian(coff);
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(coff[2..]);
        var stamp = BinaryPrimitives.ReadUInt32LittleEndian(coff[4..]);
        var optionalSize = BinaryPrimitives.ReadUInt16LittleEndian(coff[16..]);
        var characteristics = BinaryPrimitives.ReadUInt16LittleEndian(coff[18..]);
        var optionalStart = peOffset + 24;

        var optional = ReadOptionalHeader(context, optionalStart, optionalSize);
        context.FileAlignment = optional.FileAlignment;
        context.Sections = ReadSections(context, optionalStart + optionalSize, sectionCount);
        var (compiledAt, note) = Timestamp(stamp, now);
        if (note is not null)
        {
            context.Anomaly($"compile time {note}");
        }

        var imports = ReadImports(context, optional.Directory(1), optional.Is64);
        var exports = ReadExports(context, optional.Directory(0));
        var resources = ReadResources(context, optional.Directory(2));
        var signature = ReadSignature(context, optional.Directory(4));
        var (overlayOffset, overlaySize) = Overlay(context, optional.SizeOfHeaders);

        report = new PeReport(
            optional.Is64 ? "PE32+" : "PE32",
            PeNames.Machine(machine),
            PeNames.Subsystem(optional.Subsystem),
            PeNames.FileCharacteristics(characteristics),
            PeNames.DllCharacteristics(optional.DllCharacteristics),
            stamp,
            compiledAt,
            note,
            optional.ImageBase,
            optional.EntryPoint,
            context.SectionReports(),
            imports,
            PeImphash.Of(imports),
            exports,
            resources,
            signature,
            overlayOffset,
            overlaySize,
            context.Anomalies);
        reason = string.Empty;
        return true;
    }

    private static (DateTimeOffset? At, string? Note) Timestamp(uint stamp, DateTimeOffset now)
    {
        if (stamp == 0)
        {
            return (null, "is zero");
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(stamp);
        return at > now ? (at, "is in the future") : (at, null);
    }

    private static OptionalHeader ReadOptionalHeader(PeContext context, int start, ushort size)
    {
        var image = context.Image;
        if (size < 2 || (long)start + 2 > image.Length)
        {
            context.Anomaly("no optional header");
            return new OptionalHeader(false, 0, 0, 0, 0, 0, 0, []);
        }

        var available = image.Slice(start, (int)Math.Min(size, image.Length - start));
        var magic = BinaryPrimitives.ReadUInt16LittleEndian(available);
        var is64 = magic == Pe32Plus;
        if (magic is not (Pe32 or Pe32Plus))
        {
            context.Anomaly($"optional header magic 0x{magic:X} is neither PE32 nor PE32+; read as PE32");
        }

        var directoriesAt = is64 ? 112 : 96;
        if (available.Length < directoriesAt)
        {
            context.Anomaly($"optional header of {available.Length} bytes is shorter than the {directoriesAt} its format needs");
            return new OptionalHeader(is64, 0, 0, 0, 0, 0, 0, []);
        }

        var entryPoint = BinaryPrimitives.ReadUInt32LittleEndian(available[16..]);
        var imageBase = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(available[24..]) : BinaryPrimitives.ReadUInt32LittleEndian(available[28..]);
        var fileAlignment = BinaryPrimitives.ReadUInt32LittleEndian(available[36..]);
        var sizeOfHeaders = BinaryPrimitives.ReadUInt32LittleEndian(available[60..]);
        var subsystem = BinaryPrimitives.ReadUInt16LittleEndian(available[68..]);
        var dllCharacteristics = BinaryPrimitives.ReadUInt16LittleEndian(available[70..]);
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(available[(directoriesAt - 4)..]);
        var fit = (available.Length - directoriesAt) / 8;
        if (declared > 16)
        {
            context.Anomaly($"NumberOfRvaAndSizes is {declared}; only 16 directories exist");
        }

        var count = (int)Math.Min(Math.Min(declared, 16u), (uint)fit);
        if (count < Math.Min(declared, 16u))
        {
            context.Anomaly($"optional header holds {fit} data directories, fewer than the {Math.Min(declared, 16u)} declared");
        }

        var directories = new (uint Rva, uint Size)[count];
        for (var i = 0; i < count; i++)
        {
            var entry = available.Slice(directoriesAt + (i * 8), 8);
            directories[i] = (BinaryPrimitives.ReadUInt32LittleEndian(entry), BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]));
        }

        return new OptionalHeader(is64, entryPoint, imageBase, sizeOfHeaders, subsystem, dllCharacteristics, fileAlignment, directories);
    }

    private static List<SectionHeader> ReadSections(PeContext context, int start, ushort declared)
    {
        var sections = new List<SectionHeader>();
        if (declared > MaxSections)
        {
            context.Anomaly($"{declared} sections declared; only the first {MaxSections} are read");
        }

        var count = Math.Min((int)declared, MaxSections);
        for (var i = 0; i < count; i++)
        {
            var at = (long)start + (i * 40L);
            if (at + 40 > context.Image.Length)
            {
                context.Anomaly($"section table ends after {i} of {declared} sections (file truncated)");
                break;
            }

            var header = context.Image.Slice((int)at, 40);
            var name = System.Text.Encoding.UTF8.GetString(header[..8].TrimEnd((byte)0));
            sections.Add(new SectionHeader(
                name,
                BinaryPrimitives.ReadUInt32LittleEndian(header[8..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[12..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[16..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[20..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[36..])));
        }

        foreach (var section in sections)
        {
            if (section.RawSize > 0 && (long)section.RawOffset + section.RawSize > context.FileLength)
            {
                context.Anomaly($"section {section.Name} raw data (0x{section.RawOffset:X}+0x{section.RawSize:X}) runs past the end of the file");
            }
        }

        return sections;
    }

    private static PeSignature? ReadSignature(PeContext context, (uint Offset, uint Size) directory)
    {
        if (directory.Size == 0 && directory.Offset == 0)
        {
            return null;
        }

        // The security directory is the one entry that holds a file offset, not an RVA.
        if ((long)directory.Offset + directory.Size > context.FileLength || directory.Size < 8)
        {
            context.Anomaly($"security directory (0x{directory.Offset:X}+0x{directory.Size:X}) does not fit the file");
            return new PeSignature(directory.Offset, directory.Size, "unreadable");
        }

        if ((long)directory.Offset + 8 > context.Image.Length)
        {
            return new PeSignature(directory.Offset, directory.Size, "not read");
        }

        var header = context.Image.Slice((int)directory.Offset, 8);
        return new PeSignature(directory.Offset, directory.Size, PeNames.CertificateType(BinaryPrimitives.ReadUInt16LittleEndian(header[6..])));
    }

    private static (long Offset, long Size) Overlay(PeContext context, uint sizeOfHeaders)
    {
        long end = sizeOfHeaders;
        foreach (var section in context.Sections)
        {
            if (section.RawSize > 0)
            {
                end = Math.Max(end, (long)context.AlignedRawOffset(section) + section.RawSize);
            }
        }

        return end < context.FileLength ? (end, context.FileLength - end) : (Math.Min(end, context.FileLength), 0);
    }

    private readonly record struct OptionalHeader(bool Is64, uint EntryPoint, ulong ImageBase, uint SizeOfHeaders, ushort Subsystem, ushort DllCharacteristics, uint FileAlignment, (uint Rva, uint Size)[] Directories)
    {
        public (uint Rva, uint Size) Directory(int index) => index < Directories.Length ? Directories[index] : default;
    }
}
