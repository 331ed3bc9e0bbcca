using System.Buffers.Binary;
using System.Text;

namespace Ribat.Forensics.Tests.Files;

/// <summary>
/// A small but complete PE32+ DLL assembled byte by byte: three sections, imports (by name and by ordinal), exports
/// (one forwarded), resources (by id and by name), an Authenticode blob and an overlay.
/// </summary>
internal static class PeBuilder
{
    public const int PeOffset = 0x80;
    public const int OptionalStart = PeOffset + 24;
    public const int SectionTable = OptionalStart + 240;
    public const int SecurityOffset = 0xA00;
    public const int Length = 0xA40;

    public static byte[] Build()
    {
        var pe = new byte[Length];
        var w = new Writer(pe);
        w.Ascii(0, "MZ");
        w.U32(0x3C, PeOffset);
        w.Ascii(0x40, "This program cannot be run in DOS mode.");
        w.Ascii(PeOffset, "PE\0\0");
        w.U16(PeOffset + 4, 0x8664);
        w.U16(PeOffset + 6, 3);
        w.U32(PeOffset + 8, 0x5F5E1000);
        w.U16(PeOffset + 20, 240);
        w.U16(PeOffset + 22, 0x2022);
        OptionalHeader(w);
        Section(w, 0, ".text", 0x1000, 0x1000, 0x200, 0x200, 0x60000020);
        Section(w, 1, ".rdata", 0x2000, 0x1000, 0x400, 0x400, 0x40000040);
        Section(w, 2, ".rsrc", 0x3000, 0x1000, 0x200, 0x800, 0x40000040);
        for (var i = 0; i < 0x200; i++)
        {
            pe[0x200 + i] = (byte)((i * 7) ^ (i >> 3));
        }

        Exports(w);
        Imports(w);
        Resources(w);
        w.U32(SecurityOffset, 0x18);
        w.U16(SecurityOffset + 4, 0x0200);
        w.U16(SecurityOffset + 6, 2);
        w.Ascii(SecurityOffset + 0x18, "overlay after the signature");
        return pe;
    }

    // Section VA 0x2000 lives at file offset 0x400.
    private static int Rdata(int rva) => rva - 0x2000 + 0x400;

    private static int Rsrc(int rva) => rva - 0x3000 + 0x800;

    private static void OptionalHeader(Writer w)
    {
        var o = OptionalStart;
        w.U16(o, 0x20B);
        w.U32(o + 16, 0x1000);
        w.U64(o + 24, 0x180000000);
        w.U32(o + 32, 0x1000);
        w.U32(o + 36, 0x200);
        w.U32(o + 56, 0x4000);
        w.U32(o + 60, 0x200);
        w.U16(o + 68, 2);
        w.U16(o + 70, 0x0160);
        w.U32(o + 108, 16);
        Directory(w, 0, 0x2000, 0x100);
        Directory(w, 1, 0x2100, 0x3C);
        Directory(w, 2, 0x3000, 0x200);
        Directory(w, 4, SecurityOffset, 0x18);
    }

    private static void Directory(Writer w, int index, int rva, int size)
    {
        w.U32(OptionalStart + 112 + (index * 8), rva);
        w.U32(OptionalStart + 112 + (index * 8) + 4, size);
    }

    private static void Section(Writer w, int index, string name, int va, int virtualSize, int rawSize, int rawOffset, uint characteristics)
    {
        var at = SectionTable + (index * 40);
        w.Ascii(at, name);
        w.U32(at + 8, virtualSize);
        w.U32(at + 12, va);
        w.U32(at + 16, rawSize);
        w.U32(at + 20, rawOffset);
        w.U32(at + 36, (int)characteristics);
    }

    private static void Exports(Writer w)
    {
        var d = Rdata(0x2000);
        w.U32(d + 12, 0x2080);
        w.U32(d + 16, 1);
        w.U32(d + 20, 3);
        w.U32(d + 24, 3);
        w.U32(d + 28, 0x2028);
        w.U32(d + 32, 0x2034);
        w.U32(d + 36, 0x2040);
        // Functions by ordinal: 1 Run, 2 Alpha, 3 Heap (forwarded; its address points into the directory).
        w.U32(Rdata(0x2028), 0x1000);
        w.U32(Rdata(0x202C), 0x1010);
        w.U32(Rdata(0x2030), 0x2060);
        // Names sorted, with the function index each names.
        w.U32(Rdata(0x2034), 0x208C);
        w.U32(Rdata(0x2038), 0x2092);
        w.U32(Rdata(0x203C), 0x2097);
        w.U16(Rdata(0x2040), 1);
        w.U16(Rdata(0x2042), 2);
        w.U16(Rdata(0x2044), 0);
        w.Ascii(Rdata(0x2060), "NTDLL.RtlAllocateHeap\0");
        w.Ascii(Rdata(0x2080), "sample.dll\0");
        w.Ascii(Rdata(0x208C), "Alpha\0");
        w.Ascii(Rdata(0x2092), "Heap\0");
        w.Ascii(Rdata(0x2097), "Run\0");
    }

    private static void Imports(Writer w)
    {
        // Two descriptors and the terminator; lookup tables at 0x2140 and 0x2160, names from 0x2180.
        Descriptor(w, 0x2100, 0x2140, 0x2180, 0x21C0);
        Descriptor(w, 0x2114, 0x2160, 0x2190, 0x21E0);
        w.U64(Rdata(0x2140), 0x21A0);
        w.U64(Rdata(0x2148), 0x21B0);
        w.U64(Rdata(0x2160), unchecked((long)0x800000000000002AUL));
        w.U64(Rdata(0x2168), 0x2200);
        w.Ascii(Rdata(0x2180), "KERNEL32.dll\0");
        w.Ascii(Rdata(0x2190), "USER32.dll\0");
        w.Ascii(Rdata(0x21A2), "GetProcAddress\0");
        w.Ascii(Rdata(0x21B2), "LoadLibraryA\0");
        w.Ascii(Rdata(0x2202), "MessageBoxW\0");
        w.U64(Rdata(0x21C0), 0x21A0);
        w.U64(Rdata(0x21C8), 0x21B0);
        w.U64(Rdata(0x21E0), unchecked((long)0x800000000000002AUL));
        w.U64(Rdata(0x21E8), 0x2200);
    }

    private static void Descriptor(Writer w, int rva, int lookup, int name, int addresses)
    {
        w.U32(Rdata(rva), lookup);
        w.U32(Rdata(rva + 12), name);
        w.U32(Rdata(rva + 16), addresses);
    }

    private static void Resources(Writer w)
    {
        // Root: RT_RCDATA (10) and RT_VERSION (16) by id.
        Dir(w, 0x00, named: 0, ids: 2);
        Entry(w, 0x10, 10, 0x80000000 | 0x20);
        Entry(w, 0x18, 16, 0x80000000 | 0x50);
        // RT_RCDATA → "CONFIG" by name → language 0.
        Dir(w, 0x20, named: 1, ids: 0);
        Entry(w, 0x30, 0x80000000 | 0xC0, 0x80000000 | 0x38);
        Dir(w, 0x38, named: 0, ids: 1);
        Entry(w, 0x48, 0, 0x90);
        // RT_VERSION → 1 → language 1033.
        Dir(w, 0x50, named: 0, ids: 1);
        Entry(w, 0x60, 1, 0x80000000 | 0x68);
        Dir(w, 0x68, named: 0, ids: 1);
        Entry(w, 0x78, 1033, 0xA0);
        DataEntry(w, 0x90, 0x3100, 0x10);
        DataEntry(w, 0xA0, 0x3120, 0x30);
        w.U16(Rsrc(0x30C0), 6);
        w.Utf16(Rsrc(0x30C2), "CONFIG");
    }

    private static void Dir(Writer w, int at, int named, int ids)
    {
        w.U16(Rsrc(0x3000 + at + 12), named);
        w.U16(Rsrc(0x3000 + at + 14), ids);
    }

    private static void Entry(Writer w, int at, uint name, uint target)
    {
        w.U32(Rsrc(0x3000 + at), (int)name);
        w.U32(Rsrc(0x3000 + at + 4), (int)target);
    }

    private static void DataEntry(Writer w, int at, int rva, int size)
    {
        w.U32(Rsrc(0x3000 + at), rva);
        w.U32(Rsrc(0x3000 + at + 4), size);
    }

    private readonly struct Writer(byte[] bytes)
    {
        public void U16(int at, int value) => BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)value);

        public void U32(int at, int value) => BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value);

        public void U64(int at, long value) => BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), value);

        public void Ascii(int at, string text) => Encoding.Latin1.GetBytes(text, bytes.AsSpan(at));

        public void Utf16(int at, string text) => Encoding.Unicode.GetBytes(text, bytes.AsSpan(at));
    }
}
