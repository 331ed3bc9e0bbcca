using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ribat.Forensics.Logs;

namespace Ribat.Bench;

/// <summary>
/// Reading throughput of the text log readers on one thread: generated JSON lines, access log and auth.log files of a
/// chosen size, read to the last event. Files go to a temporary folder and are deleted afterwards.
/// </summary>
internal static class LogsBenchmark
{
    public static Command Command()
    {
        var megabytes = new Option<int>("--megabytes") { Description = "Size of each generated file, in MiB.", DefaultValueFactory = _ => 256 };
        var rounds = new Option<int>("--rounds") { Description = "Reads of each file; the best is reported (the first one warms the JIT).", DefaultValueFactory = _ => 3 };
        var directory = new Option<string?>("--dir") { Description = "Folder for the generated files (default: a new folder in the temp directory, deleted afterwards)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data.", DefaultValueFactory = _ => 20_240_501 };
        var command = new Command("logs", "Read generated JSON lines, access log and syslog files and report MB/s on one core.") { megabytes, rounds, directory, seed };
        command.SetAction(parsed =>
        {
            var size = Math.Max(1, parsed.GetValue(megabytes)) * 1024L * 1024;
            var given = parsed.GetValue(directory);
            var folder = given ?? Directory.CreateTempSubdirectory("ribat-bench-logs-").FullName;
            Directory.CreateDirectory(folder);
            try
            {
                var random = new Random(parsed.GetValue(seed));
                Console.WriteLine($"{"format",-12}{"MiB",8}{"events",14}{"best s",10}{"CPU s",10}{"MB/s",10}{"MB/CPU-s",10}{"events/s",14}");
                foreach (var (name, line) in Generators(random))
                {
                    var path = Path.Combine(folder, name);
                    Generate(path, size, line);
                    Measure(name, path, Math.Max(1, parsed.GetValue(rounds)));
                    File.Delete(path);
                }
            }
            finally
            {
                if (given is null)
                {
                    Directory.Delete(folder, recursive: true);
                }
            }

            return 0;
        });
        return command;
    }

    private static (string, Func<int, string>)[] Generators(Random random)
    {
        string Ip() => $"{random.Next(1, 223)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}";
        string[] users = ["root", "admin", "alice", "bob", "oracle", "deploy", "test", "ubuntu"];
        string[] paths = ["/index.html", "/wp-login.php", "/images/logo.png?v=3", "/api/v1/items?id=42&sort=asc", "/css/site.css", "/"];
        return
        [
            ("jsonl", i => $"{{\"@timestamp\":\"2024-05-01T10:{i / 60 % 60:00}:{i % 60:00}.{i % 1000:000}Z\",\"event\":{{\"kind\":\"event\",\"category\":[\"network\",\"web\"],\"duration\":{random.Next(100000)}}},\"source\":{{\"ip\":\"{Ip()}\",\"port\":{random.Next(1024, 65535)}}},\"user\":{{\"name\":\"{users[i % users.Length]}\"}},\"http\":{{\"request\":{{\"method\":\"GET\"}},\"response\":{{\"status_code\":{(i % 7 == 0 ? 404 : 200)},\"bytes\":{random.Next(50000)}}}}},\"url\":{{\"path\":\"{paths[i % paths.Length]}\"}},\"message\":\"request {i} served\"}}"),
            ("access", i => $"{Ip()} - - [17/May/2015:10:{i / 60 % 60:00}:{i % 60:00} +0000] \"GET {paths[i % paths.Length]} HTTP/1.1\" {(i % 7 == 0 ? 404 : 200)} {random.Next(50000)} \"http://example.org/\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{i % 120}.0 Safari/537.36\""),
            ("syslog", i => (i % 4) switch
            {
                0 => $"May  1 10:{i / 60 % 60:00}:{i % 60:00} bastion sshd[{i % 30000}]: Failed password for invalid user {users[i % users.Length]} from {Ip()} port {random.Next(1024, 65535)} ssh2",
                1 => $"May  1 10:{i / 60 % 60:00}:{i % 60:00} bastion sshd[{i % 30000}]: Accepted publickey for {users[i % users.Length]} from {Ip()} port {random.Next(1024, 65535)} ssh2: ED25519 SHA256:x",
                2 => $"May  1 10:{i / 60 % 60:00}:{i % 60:00} bastion sudo:   {users[i % users.Length]} : TTY=pts/{i % 9} ; PWD=/home/x ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx",
                _ => $"May  1 10:{i / 60 % 60:00}:{i % 60:00} bastion CRON[{i % 30000}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
            }),
        ];
    }

    private static void Generate(string path, long size, Func<int, string> line)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        long written = 0;
        for (var i = 0; written < size; i++)
        {
            var text = line(i);
            writer.Write(text);
            writer.Write('\n');
            written += Encoding.UTF8.GetByteCount(text) + 1;
        }
    }

    private static void Measure(string name, string path, int rounds)
    {
        var length = new FileInfo(path).Length;
        var best = TimeSpan.MaxValue;
        var bestCpu = TimeSpan.Zero;
        long events = 0;
        for (var round = 0; round < rounds; round++)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var reader = LogFileReader.Open(stream, path);
            events = 0;
            long fields = 0;
            foreach (var logEvent in reader.ReadEvents())
            {
                events++;
                fields += logEvent.Fields.Length;
            }

            clock.Stop();
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            if (reader.Report.SkippedTotal > 0 || fields == 0)
            {
                throw new InvalidOperationException($"{name}: {reader.Report.SkippedTotal} lines skipped, {fields} fields: the generator is wrong.");
            }

            if (clock.Elapsed < best)
            {
                best = clock.Elapsed;
                bestCpu = used;
            }
        }

        var megabytes = length / 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-12}{length / 1048576.0,8:N0}{events,14:N0}{best.TotalSeconds,10:N2}{bestCpu.TotalSeconds,10:N2}{megabytes / best.TotalSeconds,10:N0}{megabytes / bestCpu.TotalSeconds,10:N0}{events / best.TotalSeconds,14:N0}"));
    }
}
