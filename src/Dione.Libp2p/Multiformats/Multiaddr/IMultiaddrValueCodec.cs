namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>Converts one protocol's value between its text and binary forms, validating both.</summary>
internal interface IMultiaddrValueCodec
{
    byte[] Parse(string text);

    string Format(ReadOnlySpan<byte> value);
}
