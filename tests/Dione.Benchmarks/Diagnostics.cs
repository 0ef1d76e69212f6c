namespace Dione.Benchmarks;

/// <summary>Human-readable progress on stderr, so stdout stays JSON lines only.</summary>
internal static class Diagnostics
{
    public static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] bench: {message}");
}
