namespace Dione.Cli;

/// <summary>An error to show the user as one line, with a non-zero exit code.</summary>
public sealed class CliException(string message) : Exception(message);
