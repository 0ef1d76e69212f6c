namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>A certificate hash (webtransport, webrtc-direct): binary multihash; text multibase, written base64url ('u').</summary>
internal sealed class CertHashCodec : IMultiaddrValueCodec
{
    public byte[] Parse(string text)
    {
        var bytes = Multibase.Decode(text);
        Multihash.Parse(bytes);
        return bytes;
    }

    public string Format(ReadOnlySpan<byte> value)
    {
        Multihash.Parse(value);
        return Multibase.Encode(MultibaseEncoding.Base64Url, value);
    }
}
