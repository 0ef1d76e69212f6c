namespace Dione.Benchmarks;

/// <summary>Order statistics of small samples.</summary>
internal static class Statistics
{
    public static double Median(IReadOnlyCollection<double> values) => Quantile(values, 0.5);

    /// <summary>The nearest-rank quantile (the sample itself, no interpolation).</summary>
    public static double Quantile(IReadOnlyCollection<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var index = (int)Math.Clamp(Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index];
    }
}
