namespace Dione.Messaging.Envelopes;

/// <summary>
/// An envelope of another messaging wire-format version than <see cref="EnvelopeCodec.Version"/>: written by a build
/// this one cannot talk to. It is refused before any key is tried, so nothing is consumed and no session changes.
/// </summary>
public sealed class UnsupportedEnvelopeVersionException : InvalidEnvelopeException
{
    public UnsupportedEnvelopeVersionException(uint version, byte[] address)
        : base($"envelope version {version} is not supported (this code reads version {EnvelopeCodec.Version})")
    {
        Version = version;
        Address = address;
    }

    /// <summary>The version the envelope declares.</summary>
    public uint Version { get; }

    /// <summary>The mailbox address the envelope was stored under, as it declares it (may be malformed).</summary>
    public byte[] Address { get; }
}
