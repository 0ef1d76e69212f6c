namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>One protocol of a multiaddr and its binary value (empty for protocols without one).</summary>
public sealed class MultiaddressComponent : IEquatable<MultiaddressComponent>
{
    private readonly byte[] _value;

    internal MultiaddressComponent(MultiaddrProtocol protocol, byte[] value)
    {
        Protocol = protocol;
        _value = value;
    }

    public MultiaddrProtocol Protocol { get; }

    public ReadOnlySpan<byte> Value => _value;

    /// <summary>The value in text form, or null for protocols without a value.</summary>
    public string? ValueText => Protocol.Codec?.Format(_value);

    public static MultiaddressComponent Create(MultiaddrProtocol protocol, string? valueText)
    {
        if (protocol.Codec is null)
        {
            if (valueText is not null)
            {
                throw new FormatException($"/{protocol.Name} takes no value");
            }
            return new MultiaddressComponent(protocol, []);
        }
        if (valueText is null)
        {
            throw new FormatException($"/{protocol.Name} needs a value");
        }
        return new MultiaddressComponent(protocol, protocol.Codec.Parse(valueText));
    }

    internal static MultiaddressComponent FromBinary(MultiaddrProtocol protocol, byte[] value)
    {
        // Validates the binary value by formatting it once.
        protocol.Codec?.Format(value);
        return new MultiaddressComponent(protocol, value);
    }

    internal int BinaryLength =>
        Varint.SizeOf(Protocol.Code)
        + (Protocol.SizeInBits == MultiaddrProtocol.VariableSize ? Varint.SizeOf((ulong)_value.Length) : 0)
        + _value.Length;

    internal int WriteTo(Span<byte> destination)
    {
        var offset = Varint.Write(destination, Protocol.Code);
        if (Protocol.SizeInBits == MultiaddrProtocol.VariableSize)
        {
            offset += Varint.Write(destination[offset..], (ulong)_value.Length);
        }
        _value.CopyTo(destination[offset..]);
        return offset + _value.Length;
    }

    public override string ToString() => Protocol.Codec is null ? "/" + Protocol.Name : $"/{Protocol.Name}/{ValueText}";

    public bool Equals(MultiaddressComponent? other) =>
        other is not null && other.Protocol.Code == Protocol.Code && other._value.AsSpan().SequenceEqual(_value);

    public override bool Equals(object? obj) => Equals(obj as MultiaddressComponent);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Protocol.Code);
        hash.AddBytes(_value);
        return hash.ToHashCode();
    }
}
