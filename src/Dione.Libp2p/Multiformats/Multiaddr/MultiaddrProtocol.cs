namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>One row of the multiaddr protocol table: code, name, value size and the value's text codec.</summary>
public sealed class MultiaddrProtocol
{
    /// <summary><see cref="SizeInBits"/> of a protocol whose value is varint-length-prefixed.</summary>
    public const int VariableSize = -1;

    internal MultiaddrProtocol(ulong code, string name, int sizeInBits, IMultiaddrValueCodec? codec = null)
    {
        Code = code;
        Name = name;
        SizeInBits = sizeInBits;
        Codec = codec;
    }

    public ulong Code { get; }

    public string Name { get; }

    /// <summary>0 for protocols without a value, <see cref="VariableSize"/> for length-prefixed values, else a fixed size.</summary>
    public int SizeInBits { get; }

    public bool HasValue => SizeInBits != 0;

    internal IMultiaddrValueCodec? Codec { get; }

    public override string ToString() => Name;
}
