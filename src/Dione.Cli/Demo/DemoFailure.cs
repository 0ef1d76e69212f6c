namespace Dione.Cli.Demo;

/// <summary>The demo story went wrong: a message missing, duplicated or unexpected, or a step that did not happen.</summary>
internal sealed class DemoFailure(string message) : Exception(message);
