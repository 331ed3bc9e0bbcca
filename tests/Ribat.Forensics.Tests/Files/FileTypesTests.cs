using System.Text;
using Ribat.Forensics.Files;

namespace Ribat.Forensics.Tests.Files;

public sealed class FileTypesTests
{
    [Fact]
    public void The_magic_table_is_well_formed()
    {
        var entries = FileTypes.Entries;
        entries.Should().HaveCountGreaterThan(40);
        entries.Select(e => e.Type).Concat(["empty", "text", "data", "pe"]).Should().OnlyHaveUniqueItems();
        var seen = new HashSet<string> { FileTypes.Text.Type };
        foreach (var entry in entries)
        {
            entry.File.Description.Should().NotBeNullOrWhiteSpace(entry.Type);
            entry.Type.Should().MatchRegex("^[a-z0-9][a-z0-9-]*$");
            entry.File.MediaType.Should().MatchRegex("^(application|text|image|message)/[a-z0-9][a-z0-9.+-]*$", entry.Type);
            var tests = new[] { entry.Magic.Length > 0, entry.Text.Length > 0, entry.Header.Length > 0, entry.Contains is not null };
            tests.Count(t => t).Should().Be(1, $"{entry.Type} tests exactly one thing");
            entry.Magic.Should().NotContain(m => m.Length < 2, entry.Type);
            entry.Text.Should().NotContain(t => t.Length < 2, entry.Type);
            entry.Header.Should().NotContain(h => h.Length < 2 || h.Take(h.Length - 1).Contains((byte)'*'), entry.Type);
            if (entry.Magic.Length > 0)
            {
                (entry.Offset + entry.Magic.Max(m => m.Length)).Should().BeLessThanOrEqualTo(FileTypes.HeadLength, entry.Type);
            }

            if (entry.Within is null)
            {
                (entry.Magic.Length + entry.Text.Length).Should().BePositive($"{entry.Type} is found by its own bytes");
            }
            else
            {
                seen.Should().Contain(entry.Within, $"{entry.Type} refines a type listed before it");
                entry.Magic.Should().BeEmpty(entry.Type);
            }

            seen.Add(entry.Type);
        }
    }

    [Fact]
    public void Exactly_programs_scripts_and_shortcuts_are_flagged_as_running_when_opened()
    {
        var flagged = FileTypes.Entries.Where(e => e.File.IsExecutable).Select(e => e.Type);

        flagged.Should().BeEquivalentTo(
            "mz", "elf", "mach-o", "mach-o-universal", "java-class", "dex", "wasm", "apk", "jar", "lnk",
            "script", "python-script", "perl-script", "node-script", "ruby-script", "shell-script");
        FileTypes.Entries.Where(e => e.File.Kind == FileKind.Archive).Select(e => e.Type).Should().BeEquivalentTo(
            "zip", "rar", "7z", "gzip", "bzip2", "xz", "zstd", "cab", "tar");
        FileTypes.Entries.Where(e => e.Within is not null).Should().OnlyContain(
            e => e.File.IsExecutable || !FileTypes.Named(e.Within!).IsExecutable, "a refinement of a program is still one");
        new[] { FileTypes.Empty, FileTypes.Text, FileTypes.Data }.Should().OnlyContain(t => !t.IsExecutable);
    }

    [Fact]
    public void Each_signature_of_the_table_is_recognised_as_its_own_type()
    {
        foreach (var entry in FileTypes.Entries.Where(e => e.Within is null))
        {
            foreach (var magic in entry.Magic)
            {
                var head = new byte[entry.Offset + magic.Length + 16];
                head.AsSpan(head.Length - 16).Fill(0xEE);
                magic.CopyTo(head, entry.Offset);
                FileTypes.Detect(head).Type.Should().Be(entry.Type, Convert.ToHexString(magic));
            }

            foreach (var text in entry.Text)
            {
                FileTypes.Detect([.. " \r\n"u8, .. text, .. "/x/y z\n"u8]).Type.Should().Be(entry.Type, Encoding.ASCII.GetString(text));
            }
        }
    }

    [Fact]
    public void Each_text_refinement_is_recognised_as_its_own_type()
    {
        foreach (var entry in FileTypes.Entries.Where(e => e.Within == FileTypes.Text.Type))
        {
            foreach (var text in entry.Text)
            {
                var upper = Encoding.ASCII.GetString(text).ToUpperInvariant();
                FileTypes.Detect(Encoding.ASCII.GetBytes($"\n\t{upper} and more text\n")).Type.Should().Be(entry.Type, upper);
            }

            foreach (var header in entry.Header)
            {
                var name = Encoding.ASCII.GetString(header).Replace("*", "mailer", StringComparison.Ordinal);
                FileTypes.Detect(Encoding.ASCII.GetBytes($"{name}: value\r\nOther: x\r\n\r\nbody\r\n")).Type.Should().Be(entry.Type, name);
            }
        }
    }

    [Theory]
    [InlineData("apk", "PK\u0003\u0004....AndroidManifest.xml....META-INF/MANIFEST.MF")]
    [InlineData("jar", "PK\u0003\u0004....META-INF/MANIFEST.MF")]
    [InlineData("docx", "PK\u0003\u0004....[Content_Types].xml....word/document.xml")]
    [InlineData("xlsx", "PK\u0003\u0004....[Content_Types].xml....xl/workbook.xml")]
    [InlineData("zip", "PK\u0003\u0004....notes.txt")]
    [InlineData("python-script", "#!/usr/bin/env python3\nprint(1)\n")]
    [InlineData("shell-script", "#!/bin/sh\necho 1\n")]
    [InlineData("perl-script", "#!/usr/bin/perl -w\n")]
    [InlineData("script", "#!/opt/tool/run\n")]
    [InlineData("script", "\r\n  #!/opt/tool/run\n")]
    [InlineData("rtf", "\r\n{\\rtf1\\ansi hi}")]
    [InlineData("html", "\uFEFF<!DOCTYPE HTML><p>hi</p>")]
    [InlineData("html", "<Script>location='x'</Script>")]
    [InlineData("xml", "<?xml version=\"1.0\"?><a/>")]
    [InlineData("message", "Received: from a by b; Mon, 1 Jun 2026 10:00:00 +0000\r\nFrom: a@b.test\r\n\r\nhi\r\n")]
    [InlineData("message", "X-Mailer: thing\r\n\r\nhi\r\n")]
    [InlineData("text", "From the start: a sentence, not a header\n")]
    [InlineData("text", "Subjects: plural is not a header\n")]
    [InlineData("text", "plain words, héhé, and a tab\tand lines\r\n")]
    [InlineData("data", "\u0001\u0002\u0003\u0004\u0005 binary")]
    [InlineData("java-class", "\u00CA\u00FE\u00BA\u00BE\u0000\u0000\u00004")]
    [InlineData("mach-o-universal", "\u00CA\u00FE\u00BA\u00BE\u0000\u0000\u0000\u0002")]
    public void Refinements_and_fallbacks_name_the_specific_type(string expected, string head)
    {
        var bytes = head.Any(c => c is > '\u007F' and <= '\u00FF') && expected != "text"
            ? head.Select(c => (byte)c).ToArray()
            : Encoding.UTF8.GetBytes(head);

        FileTypes.Detect(bytes).Type.Should().Be(expected);
    }

    [Fact]
    public void An_empty_head_is_empty_and_a_nul_makes_text_data()
    {
        FileTypes.Detect([]).Should().Be(FileTypes.Empty);
        FileTypes.Detect("text\0more"u8).Should().Be(FileTypes.Data);
    }

    [Fact]
    public void Text_in_a_legacy_code_page_is_text_and_random_bytes_without_nul_stay_data()
    {
        var latin1 = Encoding.Latin1.GetBytes("Caf\u00E9, cr\u00E8me br\u00FBl\u00E9e, na\u00EFve d\u00E9j\u00E0 vu.\r\n");
        byte[] arabic1256 = [0xC7, 0xE1, 0xD3, 0xE1, 0xC7, 0xE3, 0x20, 0xDA, 0xE1, 0xED, 0xDF, 0xE3, 0x0D, 0x0A];
        var random = new byte[4096];
        new Random(5).NextBytes(random);
        random.AsSpan().Replace((byte)0, (byte)1);

        FileTypes.Detect(latin1).Should().Be(FileTypes.Text);
        FileTypes.Detect(arabic1256).Should().Be(FileTypes.Text);
        FileTypes.Detect(random).Should().Be(FileTypes.Data);
    }

    [Fact]
    public void Named_finds_rows_and_fallbacks_and_refuses_unknown_names()
    {
        FileTypes.Named("docx").MediaType.Should().Be("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        FileTypes.Named("text").Should().BeSameAs(FileTypes.Text);
        var unknown = () => FileTypes.Named("no-such-type");
        unknown.Should().Throw<ArgumentException>().WithMessage("*no-such-type*");
    }

    [Fact]
    public void A_row_with_an_unknown_kind_stops_the_load_naming_the_row()
    {
        using var json = new MemoryStream("""[{ "type": "odd", "media": "application/x-odd", "kind": "weird", "description": "Odd", "magic": ["0102"] }]"""u8.ToArray());

        var load = () => MagicTable.Load(json);

        load.Should().Throw<InvalidDataException>().WithMessage("*'odd'*'weird'*");
    }

    [Fact]
    public void Truncated_mutated_and_oversized_heads_of_every_row_never_throw()
    {
        var random = new Random(11);
        var known = FileTypes.Entries.Select(e => e.Type).Concat(["empty", "text", "data"]).ToHashSet();
        foreach (var entry in FileTypes.Entries.Where(e => e.Within is null))
        {
            var signature = entry.Magic.Length > 0 ? entry.Magic[0] : entry.Text[0];
            var head = new byte[entry.Offset + signature.Length + 64];
            signature.CopyTo(head, entry.Offset);
            for (var length = 0; length <= head.Length; length += Math.Max(1, head.Length / 64))
            {
                known.Should().Contain(FileTypes.Detect(head.AsSpan(0, length)).Type);
            }

            for (var round = 0; round < 50; round++)
            {
                var mutated = (byte[])head.Clone();
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                known.Should().Contain(FileTypes.Detect(mutated).Type);
            }
        }

        var oversized = new byte[FileTypes.HeadLength * 4];
        "From: a@b.test\r\n"u8.CopyTo(oversized);
        oversized.AsSpan(16).Fill((byte)'a');
        FileTypes.Detect(oversized).Type.Should().Be("message");
    }

    [Fact]
    public void Random_heads_of_every_length_never_throw()
    {
        var random = new Random(3);
        for (var length = 0; length < 300; length++)
        {
            var head = new byte[length];
            random.NextBytes(head);
            FileTypes.Detect(head).Type.Should().NotBeNullOrEmpty();
        }
    }
}
