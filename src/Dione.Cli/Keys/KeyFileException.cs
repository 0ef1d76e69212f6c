namespace Dione.Cli.Keys;

/// <summary>A key file that cannot be opened: the message says why, in one line for the user.</summary>
public sealed class KeyFileException(string message) : Exception(message)
{
    /// <summary>The one answer for a wrong passphrase and a damaged file alike: the AEAD cannot tell them apart.</summary>
    public const string WrongPassphraseOrDamaged = "wrong passphrase or damaged key file";
}
