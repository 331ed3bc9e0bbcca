using System.Buffers.Binary;
using System.Globalization;

namespace Ribat.Forensics.Files;

public static partial class PeParser
{
    private const int MaxImportDlls = 4096;
    private const int MaxImportsPerDll = 65536;
    private const int MaxExports = 65536;

    private static List<PeImport> ReadImports(PeContext context, (uint Rva, uint Size) directory, bool is64)
    {
        var imports = new List<PeImport>();
        if (directory.Rva == 0)
        {
            return imports;
        }

        for (var i = 0; i < MaxImportDlls; i++)
        {
            var descriptor = context.At(directory.Rva + (uint)(i * 20), 20);
            if (descriptor.Length < 20)
            {
                Missing(context, $"import descriptor {i} at RVA 0x{directory.Rva + (i * 20):X}");
                return imports;
            }

            var lookup = BinaryPrimitives.ReadUInt32LittleEndian(descriptor);
            var nameRva = BinaryPrimitives.ReadUInt32LittleEndian(descriptor[12..]);
            var address = BinaryPrimitives.ReadUInt32LittleEndian(descriptor[16..]);
            if (lookup == 0 && nameRva == 0 && address == 0)
            {
                return imports;
            }

            var dll = context.NameAt(nameRva);
            if (dll is null)
            {
                context.Anomaly($"import descriptor {i}: DLL name at RVA 0x{nameRva:X} is unreadable");
                dll = "?";
            }

            // Bound imports may leave only the address table; the lookup table is preferred when present.
            imports.Add(new PeImport(dll, ReadThunks(context, lookup != 0 ? lookup : address, is64, dll)));
        }

        context.Anomaly($"more than {MaxImportDlls} imported DLLs; the rest are not read");
        return imports;
    }

    private static List<string> ReadThunks(PeContext context, uint rva, bool is64, string dll)
    {
        var functions = new List<string>();
        var width = is64 ? 8 : 4;
        for (var i = 0; i < MaxImportsPerDll; i++)
        {
            var thunk = context.At(rva + (uint)(i * width), width);
            if (thunk.Length < width)
            {
                Missing(context, $"import thunk {i} of {dll}");
                return functions;
            }

            var value = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(thunk) : BinaryPrimitives.ReadUInt32LittleEndian(thunk);
            if (value == 0)
            {
                return functions;
            }

            var byOrdinal = is64 ? (value & 0x8000000000000000UL) != 0 : (value & 0x80000000UL) != 0;
            if (byOrdinal)
            {
                functions.Add("ord" + (value & 0xFFFF).ToString(CultureInfo.InvariantCulture));
            }
            else if (context.NameAt((uint)(value & 0x7FFFFFFF) + 2) is { } name)
            {
                functions.Add(name);
            }
            else
            {
                context.Anomaly($"import {i} of {dll}: name at RVA 0x{value & 0x7FFFFFFF:X} is unreadable");
            }
        }

        context.Anomaly($"{dll}: more than {MaxImportsPerDll} imports; the rest are not read");
        return functions;
    }

    private static PeExports? ReadExports(PeContext context, (uint Rva, uint Size) directory)
    {
        if (directory.Rva == 0)
        {
            return null;
        }

        var header = context.At(directory.Rva, 40);
        if (header.Length < 40)
        {
            Missing(context, $"export directory at RVA 0x{directory.Rva:X}");
            return null;
        }

        var dllName = context.NameAt(BinaryPrimitives.ReadUInt32LittleEndian(header[12..]));
        var ordinalBase = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        var functionCount = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
        var nameCount = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
        var functionsRva = BinaryPrimitives.ReadUInt32LittleEndian(header[28..]);
        var namesRva = BinaryPrimitives.ReadUInt32LittleEndian(header[32..]);
        var ordinalsRva = BinaryPrimitives.ReadUInt32LittleEndian(header[36..]);
        if (functionCount > MaxExports || nameCount > MaxExports)
        {
            context.Anomaly($"export directory declares {functionCount} functions and {nameCount} names; at most {MaxExports} are read");
        }

        var count = (int)Math.Min(functionCount, MaxExports);
        var names = new string?[count];
        var ordinals = context.At(ordinalsRva, (int)Math.Min(nameCount, MaxExports) * 2);
        var nameTable = context.At(namesRva, (int)Math.Min(nameCount, MaxExports) * 4);
        var named = Math.Min(ordinals.Length / 2, nameTable.Length / 4);
        if (named < Math.Min(nameCount, MaxExports))
        {
            Missing(context, "export name table");
        }

        for (var i = 0; i < named; i++)
        {
            var index = BinaryPrimitives.ReadUInt16LittleEndian(ordinals[(i * 2)..]);
            if (index < count)
            {
                names[index] ??= context.NameAt(BinaryPrimitives.ReadUInt32LittleEndian(nameTable[(i * 4)..]));
            }
        }

        var addresses = context.At(functionsRva, count * 4);
        if (addresses.Length < count * 4)
        {
            Missing(context, "export address table");
        }

        var functions = new List<PeExport>();
        for (var i = 0; i < addresses.Length / 4; i++)
        {
            var rva = BinaryPrimitives.ReadUInt32LittleEndian(addresses[(i * 4)..]);
            if (rva == 0)
            {
                continue;
            }

            // An address inside the export directory itself is a forwarder string, not code.
            var forwarder = rva >= directory.Rva && rva - directory.Rva < directory.Size ? context.NameAt(rva) : null;
            functions.Add(new PeExport(ordinalBase + (uint)i, names[i], rva, forwarder));
        }

        return new PeExports(dllName, ordinalBase, functions);
    }

    private static void Missing(PeContext context, string what)
    {
        if (context.Whole)
        {
            context.Anomaly($"{what} is outside the file or any section");
        }
        else
        {
            context.Anomaly($"{what} is beyond the {context.Image.Length:N0} bytes read; not parsed");
        }
    }
}
