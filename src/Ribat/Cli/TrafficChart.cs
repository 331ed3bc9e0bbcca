using System.Globalization;
using Ribat.Forensics.Pcap;
using ScottPlot;

namespace Ribat.Cli;

/// <summary>
/// The <c>--chart</c> picture of <c>ribat analyze pcap</c>: packets and bits per second over time, one step per
/// series interval, so the shape of an attack (ramp, plateau, bursts) shows at a glance in a report or a ticket.
/// </summary>
internal static class TrafficChart
{
    public const int Width = 1200;
    public const int Height = 500;

    /// <summary>Draws the chart to a temporary file beside <paramref name="path"/>, then moves it in place.</summary>
    public static void Save(TrafficSummary summary, string path)
    {
        using var plot = Draw(summary);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            plot.SavePng(temporary, Width, Height);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The same picture as bytes, for the server to keep with a capture's finding.</summary>
    public static byte[] Png(TrafficSummary summary)
    {
        using var plot = Draw(summary);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static Plot Draw(TrafficSummary summary)
    {
        var plot = new Plot();
        var series = summary.Series;
        var seconds = summary.Interval.TotalSeconds;
        var origin = series.Count > 0 ? series[0].Start : default;
        // The time axis counts in the unit that keeps its numbers readable: a 0.4 s burst reads 0-400 ms, not 0-0.4 s.
        var (unit, perSecond, stamp) = AxisUnit(series.Count * seconds);

        // One point more than intervals: each step is drawn to the end of its interval.
        var xs = new double[series.Count + 1];
        var packets = new double[series.Count + 1];
        var megabits = new double[series.Count + 1];
        for (var i = 0; i < series.Count; i++)
        {
            xs[i] = (series[i].Start - origin).TotalSeconds * perSecond;
            packets[i] = series[i].Packets / seconds;
            megabits[i] = series[i].Bytes * 8 / seconds / 1e6;
        }

        xs[^1] = series.Count * seconds * perSecond;
        packets[^1] = series.Count > 0 ? packets[^2] : 0;
        megabits[^1] = series.Count > 0 ? megabits[^2] : 0;

        Steps(plot, xs, packets, Colors.SteelBlue, "packets/s");
        Steps(plot, xs, megabits, Colors.DarkOrange, "Mbit/s").Axes.YAxis = plot.Axes.Right;

        plot.Title(Title(summary));
        plot.Axes.Left.Label.Text = "packets per second";
        plot.Axes.Right.Label.Text = "megabits per second";
        plot.Axes.Bottom.Label.Text = series.Count > 0
            ? $"{unit} since {origin.UtcDateTime.ToString(stamp, CultureInfo.InvariantCulture)} UTC ({(seconds * perSecond).ToString("0.###", CultureInfo.InvariantCulture)} {Abbreviation(unit)} intervals)"
            : "no packets";
        plot.Axes.SetLimitsY(0, Top(packets), plot.Axes.Left);
        plot.Axes.SetLimitsY(0, Top(megabits), plot.Axes.Right);
        plot.Axes.SetLimitsX(0, Math.Max(xs[^1], seconds * perSecond));
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>The axis unit for a series spanning <paramref name="span"/> seconds, its count per second and the origin's format.</summary>
    internal static (string Unit, double PerSecond, string Stamp) AxisUnit(double span) => span switch
    {
        < 1e-3 => ("microseconds", 1e6, "yyyy-MM-dd HH:mm:ss.fffffff"),
        < 1 => ("milliseconds", 1e3, "yyyy-MM-dd HH:mm:ss.ffffff"),
        _ => ("seconds", 1, "yyyy-MM-dd HH:mm:ss.fff"),
    };

    private static string Abbreviation(string unit) => unit switch
    {
        "microseconds" => "µs",
        "milliseconds" => "ms",
        _ => "s",
    };

    private static ScottPlot.Plottables.Scatter Steps(Plot plot, double[] xs, double[] ys, Color color, string legend)
    {
        var line = plot.Add.Scatter(xs, ys);
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.MarkerSize = 0;
        line.LineWidth = 2;
        line.Color = color;
        line.LegendText = legend;
        return line;
    }

    private static string Title(TrafficSummary summary)
    {
        var headline = string.Create(CultureInfo.InvariantCulture,
            $"{summary.Packets:N0} packets, {summary.Bytes:N0} bytes, peak {summary.PeakPacketsPerSecond:N0} pps / {summary.PeakBitsPerSecond / 1e6:N1} Mbit/s");
        return summary.Vectors.Count > 0
            ? $"{headline}\n{summary.Vectors[0].Name} ({summary.Vectors[0].Share:P0} of bytes)"
            : headline;
    }

    // Headroom above the highest step so the line does not run along the frame.
    private static double Top(double[] values)
    {
        var max = 0.0;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }

        return max > 0 ? max * 1.1 : 1;
    }
}

/// <summary>The server's capture charts, drawn as <c>ribat analyze pcap --chart</c> draws them.</summary>
internal sealed class TrafficChartPicture : Core.Jobs.ITrafficChart
{
    public byte[] Png(TrafficSummary summary) => TrafficChart.Png(summary);
}
