using System.Text;
using Ribat.Forensics.Files;

namespace Ribat.Forensics.Tests.Files;

public sealed class FileTypesTests
{
    [Fact]
    public void The_magic_table_is_well_formed()
    {
        var entries = FileTypes.Entries;
        entries.Should().HaveCountGreaterThan(30);
        entries.Select(e => e.Type).Should().OnlyHaveUniqueItems();
        var seen = new HashSet<string>();
        foreach (var entry in entries)
        {
            entry.Description.Should().NotBeNullOrWhiteSpace(entry.Type);
            entry.Type.Should().MatchRegex("^[a-z0-9][a-z0-9-]*$");
            if (entry.Within is null)
            {
                entry.Magic.Should().NotBeEmpty(entry.Type).And.OnlyContain(m => m.Length >= 2, entry.Type);
                (entry.Offset + entry.Magic.Max(m => m.Length)).Should().BeLessThanOrEqualTo(FileTypes.HeadLength, entry.Type);
                entry.Contains.Should().BeNull(entry.Type);
            }
            else
            {
                seen.Should().Contain(entry.Within, $"{entry.Type} refines a type listed before it");
                entry.Magic.Should().BeEmpty(entry.Type);
                entry.Contains.Should().NotBeNullOrEmpty(entry.Type);
            }

            seen.Add(entry.Type);
        }
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
