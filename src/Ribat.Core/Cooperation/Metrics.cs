namespace Ribat.Core.Cooperation;

/// <summary>Small statistics the cooperation figures share.</summary>
internal static class Metrics
{
    /// <summary>The median of sorted values, or null for none.</summary>
    public static double? Median(IReadOnlyList<double> sorted) =>
        sorted.Count == 0 ? null : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
