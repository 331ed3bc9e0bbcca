using System.Buffers.Binary;
using Ribat.Forensics.Files;

namespace Ribat.Forensics.Tests.Files;

public sealed class PeParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static PeReport Parse(byte[] bytes)
    {
        PeParser.TryParse(bytes, bytes.Length, Now, out var report, out var reason).Should().BeTrue(reason);
        return report!;
    }

    // Expected values read from the same bytes with pefile 2023.2.7 (Debian python3-pefile) and objdump 2.40.
    [Fact]
    public void The_built_dll_reads_as_pefile_and_objdump_read_it()
    {
        var pe = Parse(PeBuilder.Build());

        pe.Format.Should().Be("PE32+");
        pe.Machine.Should().Be("AMD64");
        pe.Subsystem.Should().Be("WINDOWS_GUI");
        pe.Characteristics.Should().Equal("EXECUTABLE_IMAGE", "LARGE_ADDRESS_AWARE", "DLL");
        pe.DllCharacteristics.Should().Equal("HIGH_ENTROPY_VA", "DYNAMIC_BASE", "NX_COMPAT");
        pe.TimeDateStamp.Should().Be(0x5F5E1000);
        pe.CompiledAt.Should().Be(new DateTimeOffset(2020, 9, 13, 12, 26, 40, TimeSpan.Zero));
        pe.TimestampNote.Should().BeNull();
        pe.ImageBase.Should().Be(0x180000000);
        pe.EntryPoint.Should().Be(0x1000);
        pe.Sections.Select(s => s.Name).Should().Equal(".text", ".rdata", ".rsrc");
        pe.Sections[0].Entropy.Should().BeApproximately(7.762471656297595, 1e-9);
        pe.Sections[1].Entropy.Should().BeApproximately(1.4100356656063922, 1e-9);
        pe.Sections[2].Entropy.Should().BeApproximately(0.6331374703834542, 1e-9);
        pe.Sections[0].Characteristics.Should().Equal("CNT_CODE", "MEM_EXECUTE", "MEM_READ");
        pe.Imports.Should().HaveCount(2);
        pe.Imports[0].Dll.Should().Be("KERNEL32.dll");
        pe.Imports[0].Functions.Should().Equal("GetProcAddress", "LoadLibraryA");
        pe.Imports[1].Functions.Should().Equal("ord42", "MessageBoxW");
        pe.Imphash.Should().Be("e85f1c2a53b8cb5b475050b88c9d7442");
        pe.Exports!.DllName.Should().Be("sample.dll");
        pe.Exports.Functions.Select(f => (f.Ordinal, f.Name, f.Rva, f.Forwarder)).Should().Equal(
            (1u, "Run", 0x1000u, (string?)null), (2u, "Alpha", 0x1010u, null), (3u, "Heap", 0x2060u, "NTDLL.RtlAllocateHeap"));
        pe.Resources.Should().Equal(
            new PeResource("RT_RCDATA", "CONFIG", 0, 16, 0x3100),
            new PeResource("RT_VERSION", "1", 1033, 48, 0x3120));
        pe.Signature.Should().Be(new PeSignature(0xA00, 0x18, "PKCS_SIGNED_DATA"));
        pe.OverlayOffset.Should().Be(2560);
        pe.OverlaySize.Should().Be(0x40);
        pe.Anomalies.Should().BeEmpty();
    }

    [Fact]
    public void This_assembly_on_disk_is_a_managed_pe32_importing_mscoree()
    {
        var path = typeof(PeParser).Assembly.Location;
        var bytes = File.ReadAllBytes(path);

        var pe = Parse(bytes);

        pe.Format.Should().Be("PE32");
        pe.Machine.Should().Be("I386");
        pe.Characteristics.Should().Contain("EXECUTABLE_IMAGE").And.Contain("DLL");
        pe.Sections.Select(s => s.Name).Should().StartWith(".text");
        pe.Imports.Should().ContainSingle().Which.Should().BeEquivalentTo(new PeImport("mscoree.dll", ["_CorDllMain"]));
        pe.Imphash.Should().Be("dae02f32a21e03ce65412f6e56942daa", "md5 of 'mscoree._cordllmain'");
        pe.Resources.Should().Contain(r => r.Type == "RT_VERSION");
        pe.OverlaySize.Should().Be(0);
    }

    [Fact]
    public void A_zero_or_future_compile_time_is_flagged()
    {
        var bytes = PeBuilder.Build();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(PeBuilder.PeOffset + 8), 0);
        Parse(bytes).TimestampNote.Should().Be("is zero");
        Parse(bytes).Anomalies.Should().Contain("compile time is zero");

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(PeBuilder.PeOffset + 8), 0xF0000000);
        var future = Parse(bytes);
        future.TimestampNote.Should().Be("is in the future");
        future.CompiledAt!.Value.Year.Should().Be(2097);
    }

    [Theory]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46 }, "no MZ header")]
    [InlineData(new byte[0], "no MZ header")]
    public void Not_a_pe_is_refused_with_a_reason(byte[] bytes, string reason)
    {
        PeParser.TryParse(bytes, bytes.Length, Now, out var report, out var why).Should().BeFalse();
        report.Should().BeNull();
        why.Should().Be(reason);
    }

    [Fact]
    public void A_dos_program_and_a_wild_e_lfanew_are_refused_with_a_reason()
    {
        var dos = PeBuilder.Build();
        dos[PeBuilder.PeOffset] = (byte)'X';
        PeParser.TryParse(dos, dos.Length, Now, out _, out var reason).Should().BeFalse();
        reason.Should().Contain("no PE signature");

        var wild = PeBuilder.Build();
        BinaryPrimitives.WriteInt32LittleEndian(wild.AsSpan(0x3C), int.MaxValue);
        PeParser.TryParse(wild, wild.Length, Now, out _, out reason).Should().BeFalse();
        reason.Should().Contain("outside the file");
    }

    [Fact]
    public void Every_truncation_parses_or_is_refused_and_damage_is_listed()
    {
        var whole = PeBuilder.Build();
        for (var length = 0; length < whole.Length; length++)
        {
            var cut = whole[..length];
            if (PeParser.TryParse(cut, cut.Length, Now, out var report, out _) && length < PeBuilder.SecurityOffset)
            {
                report!.Anomalies.Should().NotBeEmpty($"a PE cut at {length} bytes is damaged");
            }
        }
    }

    [Fact]
    public void A_prefix_of_a_longer_file_says_what_was_not_read_rather_than_calling_it_damage()
    {
        var whole = PeBuilder.Build();

        PeParser.TryParse(whole.AsSpan(0, 0x700), whole.Length, Now, out var report, out _).Should().BeTrue();

        report!.Imports.Should().HaveCount(2, "the import table lies in the first 0x700 bytes");
        report.Anomalies.Should().Contain(a => a.Contains("resource directory at RVA 0x3000 is beyond the 1,792 bytes read"));
        report.OverlaySize.Should().Be(0x40);
    }

    [Fact]
    public void A_resource_directory_that_points_back_to_the_root_is_reported_as_a_loop()
    {
        var bytes = PeBuilder.Build();
        // RT_VERSION's name-level entry points back at the root directory.
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(0x800 + 0x1C), 0x80000000);

        var pe = Parse(bytes);

        pe.Anomalies.Should().Contain(a => a.Contains("a loop"));
        pe.Resources.Should().Contain(r => r.Type == "RT_RCDATA");
    }

    [Fact]
    public void Absurd_counts_are_capped_and_reported()
    {
        var bytes = PeBuilder.Build();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(PeBuilder.PeOffset + 6), 0xFFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(0x400 + 20), 0xFFFFFFFF);

        var pe = Parse(bytes);

        pe.Anomalies.Should().Contain(a => a.Contains("65535 sections declared"));
        pe.Anomalies.Should().Contain(a => a.Contains("export directory declares 4294967295 functions"));
    }

    [Fact]
    public void Random_mutations_never_throw()
    {
        var whole = PeBuilder.Build();
        var random = new Random(12345);
        for (var round = 0; round < 3000; round++)
        {
            var bytes = (byte[])whole.Clone();
            var flips = random.Next(1, 20);
            for (var i = 0; i < flips; i++)
            {
                // Mostly the headers and tables, where a flip changes the parse.
                var at = random.Next(4) == 0 ? random.Next(bytes.Length) : random.Next(0x40, Math.Min(bytes.Length, 0x9FF));
                bytes[at] = (byte)random.Next(256);
            }

            if (PeParser.TryParse(bytes, bytes.Length, Now, out var report, out _))
            {
                report!.Sections.Count.Should().BeLessThanOrEqualTo(96);
            }
        }

        var noise = new byte[4096];
        for (var round = 0; round < 200; round++)
        {
            random.NextBytes(noise);
            noise[0] = (byte)'M';
            noise[1] = (byte)'Z';
            BinaryPrimitives.WriteInt32LittleEndian(noise.AsSpan(0x3C), 0x40);
            "PE\0\0"u8.CopyTo(noise.AsSpan(0x40));
            PeParser.TryParse(noise, noise.Length, Now, out _, out _);
        }
    }
}
