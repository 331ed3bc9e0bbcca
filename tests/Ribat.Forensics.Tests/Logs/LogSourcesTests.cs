using System.IO.Compression;
using System.Text;
using Ribat.Forensics.Logs;

namespace Ribat.Forensics.Tests.Logs;

public sealed class LogSourcesTests : IDisposable
{
    private const string AuthLine = "Jan  1 00:00:00 h sshd[1]: Failed password for root from 203.0.113.5 port 1 ssh2\n";

    private readonly string _root = Directory.CreateTempSubdirectory("ribat-logsources-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Folders_zips_gzips_and_nested_archives_give_named_readable_logs()
    {
        Write("a/plain.log", AuthLine);
        File.WriteAllBytes(Path.Combine(_root, "a", "sub", "rotated.1"), Gzip(Encoding.UTF8.GetBytes(AuthLine + AuthLine)));
        var inner = Zip(("deep/auth.log", Encoding.UTF8.GetBytes(AuthLine)));
        File.WriteAllBytes(Path.Combine(_root, "a", "sub", "bundle.bin"), Zip(
            ("var/log/auth.log", Encoding.UTF8.GetBytes(AuthLine)),
            ("var/log/auth.log.2.gz", Gzip(Encoding.UTF8.GetBytes(AuthLine))),
            ("nested.zip", inner),
            ("inner.zip.gz", Gzip(inner)),
            ("empty-dir/", [])));

        var sources = new LogSources();
        var seen = new List<(string Name, int Events)>();
        foreach (var input in sources.Enumerate([Path.Combine(_root, "a")]))
        {
            var reader = LogFileReader.Open(input.Content, input.Name, new LogReadOptions { Modified = input.Modified });
            seen.Add((Path.GetRelativePath(_root, input.Name), reader.ReadEvents().Count()));
        }

        sources.Problems.Should().BeEmpty();
        seen.Should().Equal(
            ("a/plain.log", 1),
            ("a/sub/bundle.bin!var/log/auth.log", 1),
            ("a/sub/bundle.bin!var/log/auth.log.2.gz", 1),
            ("a/sub/bundle.bin!nested.zip!deep/auth.log", 1),
            ("a/sub/bundle.bin!inner.zip.gz!deep/auth.log", 1),
            ("a/sub/rotated.1", 2));
    }

    [Fact]
    public void A_member_declaring_a_bomb_ratio_is_not_opened_and_the_others_are()
    {
        Write("z/ok.log", AuthLine);
        File.WriteAllBytes(Path.Combine(_root, "z", "bomb.zip"), Zip(("zeros.log", new byte[40 * 1024 * 1024]), ("fine.log", Encoding.UTF8.GetBytes(AuthLine))));

        var sources = new LogSources(new LogSourceOptions { MaxRatio = 100 });
        var names = sources.Enumerate([Path.Combine(_root, "z")]).Select(i => Path.GetFileName(i.Name)).ToList();

        names.Should().Equal("bomb.zip!fine.log", "ok.log");
        sources.Problems.Should().ContainSingle().Which.Reason.Should().Contain("more than 100 times");
    }

    [Fact]
    public void A_gzip_expanding_past_the_ratio_is_stopped_while_read_and_reported()
    {
        var lines = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(AuthLine, 300_000)));
        File.WriteAllBytes(Path.Combine(_root, "big.gz"), Gzip(lines));

        var sources = new LogSources(new LogSourceOptions { MaxRatio = 20 });
        var events = 0;
        LogReadReport? report = null;
        foreach (var input in sources.Enumerate([Path.Combine(_root, "big.gz")]))
        {
            var reader = LogFileReader.Open(input.Content, input.Name);
            events = reader.ReadEvents().Count();
            report = reader.Report;
        }

        events.Should().BeGreaterThan(0).And.BeLessThan(300_000);
        report!.StoppedBy.Should().Contain("20 times");
        sources.Problems.Should().ContainSingle().Which.Name.Should().EndWith("big.gz");
    }

    [Fact]
    public void The_expansion_cap_covers_all_members_of_an_archive_together()
    {
        var member = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(AuthLine, 1000)));
        File.WriteAllBytes(Path.Combine(_root, "many.zip"), Zip(("1.log", member), ("2.log", member), ("3.log", member)));

        var sources = new LogSources(new LogSourceOptions { MaxExpandedBytes = (member.Length * 2) + 100 });
        var read = new List<long>();
        foreach (var input in sources.Enumerate([Path.Combine(_root, "many.zip")]))
        {
            var reader = LogFileReader.Open(input.Content, input.Name);
            read.Add(reader.ReadEvents().Count());
        }

        read.Should().Equal(1000, 1000);
        sources.Problems.Should().ContainSingle().Which.Name.Should().EndWith("many.zip!3.log");
    }

    [Fact]
    public void Archives_deeper_than_the_limit_are_reported_not_opened()
    {
        var level3 = Zip(("x.log", Encoding.UTF8.GetBytes(AuthLine)));
        var level2 = Zip(("l3.zip", level3));
        File.WriteAllBytes(Path.Combine(_root, "l1.zip"), Zip(("l2.zip", level2), ("top.log", Encoding.UTF8.GetBytes(AuthLine))));

        var sources = new LogSources(new LogSourceOptions { MaxDepth = 2 });
        var names = sources.Enumerate([Path.Combine(_root, "l1.zip")]).Select(i => Path.GetFileName(i.Name)).ToList();

        names.Should().Equal("l1.zip!top.log");
        sources.Problems.Should().ContainSingle().Which.Name.Should().EndWith("l1.zip!l2.zip!l3.zip");
    }

    [Fact]
    public void Missing_damaged_and_truncated_inputs_are_reported_and_the_rest_read()
    {
        Write("good.log", AuthLine);
        File.WriteAllBytes(Path.Combine(_root, "damaged.zip"), [.. "PK\u0003\u0004"u8, .. new byte[100]]);
        var gz = Gzip(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(AuthLine, 100))));
        File.WriteAllBytes(Path.Combine(_root, "cut.gz"), gz[..(gz.Length / 2)]);

        var sources = new LogSources();
        var read = new List<string>();
        foreach (var input in sources.Enumerate([Path.Combine(_root, "missing"), Path.Combine(_root, "damaged.zip"), Path.Combine(_root, "cut.gz"), Path.Combine(_root, "good.log")]))
        {
            var reader = LogFileReader.Open(input.Content, input.Name);
            reader.ReadEvents().Count();
            read.Add(Path.GetFileName(input.Name));
        }

        read.Should().Equal("cut.gz", "good.log");
        sources.Problems.Select(p => Path.GetFileName(p.Name)).Should().Equal("missing", "damaged.zip");
        sources.Problems[0].Reason.Should().Contain("no such file");
        sources.Problems[1].Reason.Should().Contain("damaged zip");
    }

    [Fact]
    public void Random_bytes_behind_archive_magic_never_throw()
    {
        var random = new Random(20_240_501);
        var valid = Zip(("a.log", Encoding.UTF8.GetBytes(AuthLine)), ("b.gz", Gzip(Encoding.UTF8.GetBytes(AuthLine))));
        for (var round = 0; round < 100; round++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                bytes[random.Next(4, bytes.Length)] = (byte)random.Next(256);
            }

            var path = Path.Combine(_root, $"m{round}.zip");
            File.WriteAllBytes(path, bytes);
            var sources = new LogSources();
            foreach (var input in sources.Enumerate([path]))
            {
                LogFileReader.Open(input.Content, input.Name).ReadEvents().Count();
            }
        }
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(path)!, "sub"));
        File.WriteAllText(path, text);
    }

    private static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] members)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create))
        {
            foreach (var (name, content) in members)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(content);
            }
        }

        return output.ToArray();
    }
}
