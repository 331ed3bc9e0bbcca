using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;
using Ribat.Stix.Validation;

namespace Ribat.Bench;

/// <summary>
/// <c>stix</c>: parse, validate and serialize throughput of the STIX library on a real bundle (ATT&amp;CK for ICS by
/// default), and the rate of TAXII-sized pages (100 objects) it can write.
/// </summary>
internal static class StixCommand
{
    public static Command Create()
    {
        var file = new Option<string?>("--file") { Description = "STIX bundle to measure (default: the corpus's ics-attack-18.1.json)." };
        var repeat = new Option<int>("--repeat") { Description = "Timed passes over the bundle for each measurement.", DefaultValueFactory = _ => 20 };
        var pageSize = new Option<int>("--page-size") { Description = "Objects per TAXII page for the paging measurement.", DefaultValueFactory = _ => 100 };
        var output = new Option<string?>("--out") { Description = "Write the results as JSON to this file." };
        var command = new Command("stix", "Objects per second to parse, validate and serialize a STIX bundle, and TAXII pages per second to write.")
        {
            file, repeat, pageSize, output,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var path = parsed.GetValue(file) ?? DefaultBundle();
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"stix: {path} does not exist");
                return 2;
            }

            var run = Measure(path, Math.Max(1, parsed.GetValue(repeat)), Math.Max(1, parsed.GetValue(pageSize)));
            Print(run);
            await ResultFile.WriteAsync(parsed.GetValue(output), run, cancellationToken);
            return 0;
        });
        return command;
    }

    private static StixRun Measure(string path, int repeat, int pageSize)
    {
        var bytes = File.ReadAllBytes(path);
        var first = StixSerializer.ReadBundle(bytes);
        var objects = first.Bundle?.Objects ?? throw new InvalidOperationException($"{path} is not a readable bundle");
        var validator = new StixValidator();
        using var document = JsonDocument.Parse(bytes);

        // Untimed passes first: tiered compilation only promotes a method after 30 calls and a short delay, and the
        // first passes of a cold process measured 3 to 5 times slower than the settled ones.
        for (var i = 0; i < 5; i++)
        {
            StixSerializer.WriteBundle(StixSerializer.ReadBundle(bytes, validator: validator).Bundle!);
            WritePages(objects, pageSize);
        }

        Thread.Sleep(500);

        var parse = Time(repeat, objects.Count, () => StixSerializer.ReadBundle(bytes));
        var validate = Time(repeat, objects.Count, () => validator.ValidateBundle(document.RootElement));
        var reused = new ArrayBufferWriter<byte>(bytes.Length * 2);
        var serialize = Time(repeat, objects.Count, () => WriteBundle(first.Bundle!, reused));
        var all = Time(repeat, objects.Count, () => StixSerializer.WriteBundle(StixSerializer.ReadBundle(bytes, validator: validator).Bundle!));
        var pages = (objects.Count + pageSize - 1) / pageSize;
        var paging = Time(repeat, pages, () => WritePages(objects, pageSize));
        return new StixRun("stix", Path.GetFileName(path), bytes.Length, objects.Count, repeat, Environment.ProcessorCount, LoadAverage(), DateTimeOffset.UtcNow,
            parse, validate, serialize, all, pageSize, paging);
    }

    /// <summary>Writes the bundle into a reused buffer: the serializer's cost, not that of growing a fresh array.</summary>
    private static void WriteBundle(StixBundle bundle, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        StixSerializer.WriteBundle(bundle, writer);
    }

    /// <summary>Writes every page as a TAXII 2.1 envelope into one reused buffer, as a server answering requests would.</summary>
    private static void WritePages(List<StixObject> objects, int pageSize)
    {
        var buffer = new ArrayBufferWriter<byte>(256 * 1024);
        var options = new JsonWriterOptions { SkipValidation = true };
        using var writer = new Utf8JsonWriter(buffer, options);
        for (var start = 0; start < objects.Count; start += pageSize)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            writer.WriteStartObject();
            writer.WriteBoolean("more", start + pageSize < objects.Count);
            writer.WriteStartArray("objects");
            for (var i = start; i < Math.Min(start + pageSize, objects.Count); i++)
            {
                StixSerializer.WriteObject(objects[i], writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
        }
    }

    private static Throughput Time(int repeat, int itemsPerPass, Action pass)
    {
        // The previous phase's garbage is collected here, not charged to this phase.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeat; i++)
        {
            pass();
        }

        clock.Stop();
        var items = (long)itemsPerPass * repeat;
        return new Throughput(items, clock.Elapsed.TotalSeconds, items / clock.Elapsed.TotalSeconds,
            (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)items);
    }

    private static void Print(StixRun run)
    {
        Console.WriteLine($"{run.File}: {run.Objects:N0} objects, {run.Bytes / 1048576.0:N1} MiB, {run.Repeat} passes, {run.Cores} cores, load {run.LoadAverage}");
        Console.WriteLine($"{"phase",-30}{"per second",14}{"per cpu s",12}{"seconds",10}{"cpu s",8}{"alloc B/item",14}");
        Row("parse (objects)", run.Parse);
        Row("validate (objects)", run.Validate);
        Row("serialize (objects)", run.Serialize);
        Row("parse+validate+write (objects)", run.All);
        Row($"TAXII pages of {run.PageSize} (pages)", run.Pages);

        static void Row(string name, Throughput t) =>
            Console.WriteLine($"{name,-30}{t.PerSecond,14:N0}{t.Items / Math.Max(t.CpuSeconds, 1e-9),12:N0}{t.Seconds,10:N2}{t.CpuSeconds,8:N2}{t.AllocatedPerItem,14:N0}");
    }

    private static string DefaultBundle()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Ribat.slnx")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? Directory.GetCurrentDirectory();
        return Path.GetFullPath(Path.Combine(root, "..", "shared", "corpus", "stix", "ics-attack-18.1.json"));
    }

    internal sealed record Throughput(long Items, double Seconds, double PerSecond, double CpuSeconds, double AllocatedPerItem);

    // "Per cpu s" divides by the process's processor time (GC threads included): on a shared machine it is the figure
    // that says what the code costs, where the wall-clock rate says what the machine had left.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    internal sealed record StixRun(string Benchmark, string File, long Bytes, int Objects, int Repeat, int Cores, string LoadAverage, DateTimeOffset StartedAt,
        Throughput Parse, Throughput Validate, Throughput Serialize, Throughput All, int PageSize, Throughput Pages);
}
