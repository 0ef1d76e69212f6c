using System.Net;
using Dione.Libp2p.Identity;

namespace Dione.Libp2p.Multiformats.Multiaddr;

/// <summary>A multiaddr (multiformats/multiaddr): a sequence of protocol components, in text and binary form.</summary>
public sealed class Multiaddress : IEquatable<Multiaddress>
{
    /// <summary>Longer binary or text forms are refused.</summary>
    public const int MaxLength = 1024;

    private readonly MultiaddressComponent[] _components;

    private Multiaddress(MultiaddressComponent[] components) => _components = components;

    public IReadOnlyList<MultiaddressComponent> Components => _components;

    public static Multiaddress FromComponents(IEnumerable<MultiaddressComponent> components) => new([.. components]);

    /// <summary>
    /// Parses the text form, e.g. <c>/ip4/127.0.0.1/tcp/4001</c>. Trailing slashes are ignored; the empty address
    /// ("" or "/") is refused, as go-multiaddr does.
    /// </summary>
    /// <exception cref="FormatException">empty, too long, an unknown protocol, a missing or invalid value.</exception>
    public static Multiaddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new FormatException("multiaddr too long");
        }
        if (!text.StartsWith('/'))
        {
            throw new FormatException($"multiaddr must start with '/': '{text}'");
        }
        var trimmed = text.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            throw new FormatException("empty multiaddr");
        }
        var parts = trimmed.Split('/');
        var components = new List<MultiaddressComponent>();
        for (var i = 1; i < parts.Length; i++)
        {
            var protocol = MultiaddrProtocols.FindByName(parts[i])
                ?? throw new FormatException($"unknown multiaddr protocol '{parts[i]}'");
            string? value = null;
            if (protocol.HasValue)
            {
                if (++i >= parts.Length)
                {
                    throw new FormatException($"/{protocol.Name} needs a value");
                }
                value = parts[i];
            }
            components.Add(MultiaddressComponent.Create(protocol, value));
        }
        return new Multiaddress([.. components]);
    }

    public static bool TryParse(string? text, out Multiaddress? address)
    {
        try
        {
            address = text is null ? null : Parse(text);
            return address is not null;
        }
        catch (FormatException)
        {
            address = null;
            return false;
        }
    }

    /// <summary>Parses the binary form: per component, a varint protocol code then the value (length-prefixed when variable).</summary>
    /// <exception cref="FormatException">empty, too long, truncated, an unknown protocol code, or an invalid value.</exception>
    public static Multiaddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new FormatException("multiaddr too long");
        }
        if (bytes.IsEmpty)
        {
            throw new FormatException("empty multiaddr");
        }
        var components = new List<MultiaddressComponent>();
        while (!bytes.IsEmpty)
        {
            var code = Varint.Read(bytes, out var codeLength);
            bytes = bytes[codeLength..];
            var protocol = MultiaddrProtocols.FindByCode(code)
                ?? throw new FormatException($"unknown multiaddr protocol code {code}");
            int length;
            if (protocol.SizeInBits == MultiaddrProtocol.VariableSize)
            {
                var announced = Varint.Read(bytes, out var lengthLength);
                bytes = bytes[lengthLength..];
                if (announced > (ulong)bytes.Length)
                {
                    throw new FormatException("truncated multiaddr value");
                }
                length = (int)announced;
            }
            else
            {
                length = protocol.SizeInBits / 8;
            }
            if (length > bytes.Length)
            {
                throw new FormatException("truncated multiaddr value");
            }
            components.Add(MultiaddressComponent.FromBinary(protocol, bytes[..length].ToArray()));
            bytes = bytes[length..];
        }
        return new Multiaddress([.. components]);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[_components.Sum(c => c.BinaryLength)];
        var offset = 0;
        foreach (var component in _components)
        {
            offset += component.WriteTo(bytes.AsSpan(offset));
        }
        return bytes;
    }

    public override string ToString() => string.Concat(_components.Select(c => c.ToString()));

    /// <summary>The peer id of the last <c>/p2p/</c> component, if any.</summary>
    public PeerId? PeerId
    {
        get
        {
            var last = _components.LastOrDefault(c => c.Protocol == MultiaddrProtocols.P2p);
            return last is null ? null : Identity.PeerId.FromBytes(last.Value);
        }
    }

    /// <summary>This address without a trailing <c>/p2p/</c> component.</summary>
    public Multiaddress WithoutPeerId() =>
        _components.Length > 0 && _components[^1].Protocol == MultiaddrProtocols.P2p ? new(_components[..^1]) : this;

    /// <summary>This address ending in <c>/p2p/<paramref name="peerId"/></c>.</summary>
    public Multiaddress WithPeerId(PeerId peerId) =>
        new([.. WithoutPeerId()._components, MultiaddressComponent.Create(MultiaddrProtocols.P2p, peerId.ToString())]);

    public Multiaddress Encapsulate(Multiaddress inner) => new([.. _components, .. inner._components]);

    /// <summary>
    /// The IP endpoint of an <c>/ip4|ip6/…/tcp/…</c> address (optionally after <c>/ip6zone/…</c>, and with anything
    /// after the port ignored), or null.
    /// </summary>
    public IPEndPoint? ToTcpEndPoint()
    {
        var index = 0;
        string? zone = null;
        if (_components.Length > 0 && _components[0].Protocol == MultiaddrProtocols.Ip6Zone)
        {
            zone = _components[0].ValueText;
            index = 1;
        }
        if (_components.Length < index + 2 || _components[index + 1].Protocol != MultiaddrProtocols.Tcp)
        {
            return null;
        }
        var ip = _components[index];
        var isIp6 = ip.Protocol == MultiaddrProtocols.Ip6;
        if (!isIp6 && (ip.Protocol != MultiaddrProtocols.Ip4 || zone is not null))
        {
            return null;
        }
        var address = new IPAddress(ip.Value);
        if (zone is not null && !IPAddress.TryParse($"{address}%{zone}", out address))
        {
            return null;
        }
        var port = (_components[index + 1].Value[0] << 8) | _components[index + 1].Value[1];
        return new IPEndPoint(address, port);
    }

    /// <summary>The address <c>/ip4|ip6/ADDR/tcp/PORT</c> of an endpoint, preceded by <c>/ip6zone/SCOPE</c> for a scoped IPv6 address.</summary>
    public static Multiaddress FromTcpEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        var isIp4 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        var components = new List<MultiaddressComponent>(3);
        if (!isIp4 && address.ScopeId != 0)
        {
            components.Add(MultiaddressComponent.Create(
                MultiaddrProtocols.Ip6Zone, address.ScopeId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        components.Add(MultiaddressComponent.FromBinary(isIp4 ? MultiaddrProtocols.Ip4 : MultiaddrProtocols.Ip6, address.GetAddressBytes()));
        var port = new byte[2];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(port, (ushort)endPoint.Port);
        components.Add(MultiaddressComponent.FromBinary(MultiaddrProtocols.Tcp, port));
        return new Multiaddress([.. components]);
    }

    public bool Equals(Multiaddress? other) => other is not null && _components.SequenceEqual(other._components);

    public override bool Equals(object? obj) => Equals(obj as Multiaddress);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var component in _components)
        {
            hash.Add(component);
        }
        return hash.ToHashCode();
    }
}
