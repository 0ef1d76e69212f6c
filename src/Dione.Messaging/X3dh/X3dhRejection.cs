namespace Dione.Messaging.X3dh;

/// <summary>Why a responder refused an initial message or intro.</summary>
public enum X3dhRejection
{
    /// <summary>Not parseable, wrong field lengths, or over the size cap.</summary>
    Malformed,

    /// <summary>A format version this code does not know.</summary>
    UnsupportedVersion,

    /// <summary>The sender's identity key is not a usable Ed25519 key.</summary>
    InvalidIdentityKey,

    /// <summary>The ephemeral key is not canonical or has low order.</summary>
    InvalidEphemeralKey,

    /// <summary>The named signed prekey is not (or no longer) held.</summary>
    UnknownSignedPrekey,

    /// <summary>The named one-time prekey is not held: already used (a replay) or never issued.</summary>
    UnknownOneTimePrekey,

    /// <summary>A session without a one-time prekey with this ephemeral key was already accepted: a replay.</summary>
    ReplayedEphemeralKey,

    /// <summary>The signed prekey remembers as many ephemeral keys as allowed; rotate it.</summary>
    ReplayCacheFull,

    /// <summary>The key confirmation does not verify: the sender does not hold IK_A, or a field was altered.</summary>
    ConfirmationFailed,

    /// <summary>No held signed prekey opens the sealed intro (not for us, altered, or its prekey is gone).</summary>
    IntroUnreadable,
}
