using System.Buffers.Binary;

namespace Dione.Messaging.Addressing;

/// <summary>A 32-byte mailbox address as a value type, for use as a dictionary key.</summary>
internal readonly record struct MailboxAddress(ulong A, ulong B, ulong C, ulong D)
{
    public static MailboxAddress From(ReadOnlySpan<byte> address)
    {
        if (address.Length != AddressChain.AddressLength)
        {
            throw new ArgumentException($"an address is {AddressChain.AddressLength} bytes", nameof(address));
        }
        return new MailboxAddress(
            BinaryPrimitives.ReadUInt64BigEndian(address),
            BinaryPrimitives.ReadUInt64BigEndian(address[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(address[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(address[24..]));
    }

    public byte[] ToArray()
    {
        var bytes = new byte[AddressChain.AddressLength];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, A);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), B);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(16), C);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(24), D);
        return bytes;
    }

    public override string ToString() => Convert.ToHexStringLower(ToArray());
}
