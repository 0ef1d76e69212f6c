namespace Dione.Benchmarks;

/// <summary>Bad command line: printed with the usage text, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
