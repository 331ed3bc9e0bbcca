using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Ribat.Forensics.Files;

public static partial class PeParser
{
    private const int MaxResources = 10_000;

    // type → name → language: the three levels Windows defines. Deeper nesting, loops and overlapping
    // directories are damage; a visited set stops loops.
    private static List<PeResource> ReadResources(PeContext context, (uint Rva, uint Size) directory)
    {
        var resources = new List<PeResource>();
        if (directory.Rva == 0)
        {
            return resources;
        }

        var root = context.At(directory.Rva, int.MaxValue);
        if (root.Length < 16)
        {
            Missing(context, $"resource directory at RVA 0x{directory.Rva:X}");
            return resources;
        }

        var visited = new HashSet<uint>();
        var path = new string[3];
        Walk(context, root, 0, 0, path, visited, resources);
        return resources;
    }

    private static void Walk(PeContext context, ReadOnlySpan<byte> root, uint offset, int level, string[] path, HashSet<uint> visited, List<PeResource> resources)
    {
        if (!visited.Add(offset))
        {
            context.Anomaly($"resource directory at offset 0x{offset:X} is reached twice (a loop)");
            return;
        }

        if ((long)offset + 16 > root.Length)
        {
            context.Anomaly($"resource directory at offset 0x{offset:X} is outside the resource data");
            return;
        }

        var header = root.Slice((int)offset, 16);
        var entries = BinaryPrimitives.ReadUInt16LittleEndian(header[12..]) + BinaryPrimitives.ReadUInt16LittleEndian(header[14..]);
        for (var i = 0; i < entries && resources.Count < MaxResources; i++)
        {
            var at = (long)offset + 16 + (i * 8L);
            if (at + 8 > root.Length)
            {
                context.Anomaly($"resource directory at offset 0x{offset:X} lists entries past the resource data");
                return;
            }

            var nameField = BinaryPrimitives.ReadUInt32LittleEndian(root[(int)at..]);
            var target = BinaryPrimitives.ReadUInt32LittleEndian(root[(int)(at + 4)..]);
            path[level] = EntryName(root, nameField, level);
            var isDirectory = (target & 0x80000000) != 0;
            if (isDirectory && level < 2)
            {
                Walk(context, root, target & 0x7FFFFFFF, level + 1, path, visited, resources);
            }
            else if (!isDirectory && level == 2)
            {
                AddLeaf(context, root, target, path, nameField, resources);
            }
            else
            {
                context.Anomaly($"resource entry {path[0]}/{(level > 0 ? path[1] : "")} is at an unexpected depth ({level + 1})");
            }
        }

        if (resources.Count >= MaxResources && level == 0)
        {
            context.Anomaly($"more than {MaxResources} resources; the rest are not listed");
        }
    }

    private static void AddLeaf(PeContext context, ReadOnlySpan<byte> root, uint target, string[] path, uint language, List<PeResource> resources)
    {
        if ((long)target + 16 > root.Length)
        {
            context.Anomaly($"resource data entry at offset 0x{target:X} is outside the resource data");
            return;
        }

        var data = root.Slice((int)target, 16);
        var rva = BinaryPrimitives.ReadUInt32LittleEndian(data);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (context.ToOffset(rva) is var offset && (offset < 0 || offset + size > context.FileLength))
        {
            context.Anomaly($"resource {path[0]}/{path[1]} data (RVA 0x{rva:X}, {size} bytes) is not in the file");
        }

        resources.Add(new PeResource(path[0], path[1], language & 0x7FFFFFFF, size, rva));
    }

    private static string EntryName(ReadOnlySpan<byte> root, uint field, int level)
    {
        if ((field & 0x80000000) == 0)
        {
            return level == 0 ? PeNames.ResourceType(field) : field.ToString(CultureInfo.InvariantCulture);
        }

        var at = field & 0x7FFFFFFF;
        if ((long)at + 2 > root.Length)
        {
            return "?";
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(root[(int)at..]);
        var bytes = (int)Math.Min(length * 2L, root.Length - at - 2);
        return Encoding.Unicode.GetString(root.Slice((int)at + 2, bytes & ~1));
    }
}
