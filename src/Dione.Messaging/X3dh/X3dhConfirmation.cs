using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Dione.Messaging.X3dh;

/// <summary>
/// The key confirmation in the initial data, standing in for X3DH's "initial ciphertext" (§3.3): HMAC-SHA-256 keyed with the
/// fourth 32 bytes of the X3DH KDF output over
/// "Dione_X3DH_Confirm_v1" || AD (66) || EK_A (32) || signed prekey id (u32 BE) || has one-time prekey (1 byte, 0 or 1) ||
/// one-time prekey id (u32 BE, 0 when absent). Only someone who computed DH1 with IK_A's private key can produce it, and
/// any change to a field changes it, so the responder checks it before consuming anything.
/// </summary>
internal static class X3dhConfirmation
{
    public const string Label = "Dione_X3DH_Confirm_v1";
    public const int Length = 32;

    public static byte[] Compute(byte[] confirmationKey, byte[] associatedData, ReadOnlySpan<byte> ephemeralKey, uint signedPrekeyId, uint? oneTimePrekeyId)
    {
        var label = Encoding.ASCII.GetBytes(Label);
        var data = new byte[label.Length + associatedData.Length + ephemeralKey.Length + 4 + 1 + 4];
        var offset = 0;
        label.CopyTo(data, offset);
        offset += label.Length;
        associatedData.CopyTo(data, offset);
        offset += associatedData.Length;
        ephemeralKey.CopyTo(data.AsSpan(offset));
        offset += ephemeralKey.Length;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(offset), signedPrekeyId);
        offset += 4;
        data[offset++] = oneTimePrekeyId.HasValue ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(offset), oneTimePrekeyId ?? 0);
        return HMACSHA256.HashData(confirmationKey, data);
    }
}
