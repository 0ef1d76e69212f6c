using Dione.Messaging.Crypto;
using Dione.Messaging.Identity;
using Dione.Messaging.Protos;
using Dione.Primitives.Crypto;
using Google.Protobuf;

namespace Dione.Messaging.X3dh;

/// <summary>
/// The recipient's (Bob's) private prekeys: the current signed prekey, replaced ones within their grace period, and the
/// unused one-time prekeys. It produces the bundles Bob publishes, and <see cref="X3dhResponder"/> consumes from it.
/// All members are safe to call from several threads. Serialise with <see cref="ToBytes"/> and persist after every change
/// (rotation, generation, and every accepted session, which deletes a one-time prekey or remembers an ephemeral key).
/// </summary>
public sealed class PrekeyStore
{
    /// <summary>Largest serialised state <see cref="FromBytes"/> reads.</summary>
    public const int MaxStateBytes = 16 * 1024 * 1024;

    private const uint StateVersion = 1;

    private readonly Lock _gate = new();
    private readonly List<SignedPrekey> _retired = [];
    private readonly SortedDictionary<uint, OneTimePrekey> _oneTimePrekeys = [];
    private SignedPrekey _current;
    private uint _nextSignedPrekeyId;
    private uint _nextOneTimePrekeyId;

    private PrekeyStore(IdentityKey identity, PrekeyPolicy policy, SignedPrekey current, uint nextSignedPrekeyId, uint nextOneTimePrekeyId)
    {
        Identity = identity;
        Policy = policy;
        _current = current;
        _nextSignedPrekeyId = nextSignedPrekeyId;
        _nextOneTimePrekeyId = nextOneTimePrekeyId;
    }

    /// <summary>The identity whose prekeys these are.</summary>
    public IdentityKey Identity { get; }

    public PrekeyPolicy Policy { get; }

    /// <summary>The signed prekey to publish now.</summary>
    public SignedPrekey CurrentSignedPrekey
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Replaced signed prekeys still inside their grace period, newest first.</summary>
    public IReadOnlyList<SignedPrekey> RetiredSignedPrekeys
    {
        get
        {
            lock (_gate)
            {
                return [.. _retired];
            }
        }
    }

    /// <summary>How many unused one-time prekeys are held.</summary>
    public int OneTimePrekeyCount
    {
        get
        {
            lock (_gate)
            {
                return _oneTimePrekeys.Count;
            }
        }
    }

    /// <summary>Ids of the unused one-time prekeys, ascending.</summary>
    public IReadOnlyList<uint> OneTimePrekeyIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _oneTimePrekeys.Keys];
            }
        }
    }

    /// <summary>A new store with a first signed prekey and no one-time prekeys.</summary>
    public static PrekeyStore Create(DioneIdentity identity, DateTimeOffset now, PrekeyPolicy? policy = null) =>
        Create(identity, now, X25519KeyPair.Generate(), policy);

    internal static PrekeyStore Create(DioneIdentity identity, DateTimeOffset now, X25519KeyPair firstSignedPrekey, PrekeyPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var first = NewSignedPrekey(identity, 1, now, firstSignedPrekey);
        return new PrekeyStore(identity.PublicKey, policy ?? PrekeyPolicy.Default, first, 2, 1);
    }

    /// <summary>
    /// True when the current signed prekey is older than <see cref="PrekeyPolicy.RotationInterval"/>, or its replay memory is
    /// full. A clock that went backwards never makes rotation due.
    /// </summary>
    public bool IsRotationDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            return now - _current.CreatedAt >= Policy.RotationInterval
                || _current.RememberedEphemeralKeyCount >= Policy.MaxRememberedEphemeralKeys;
        }
    }

    /// <summary>Makes a new current signed prekey; the old one is retired and kept for the grace period.</summary>
    public SignedPrekey RotateSignedPrekey(DioneIdentity identity, DateTimeOffset now) =>
        RotateSignedPrekey(identity, now, X25519KeyPair.Generate());

    internal SignedPrekey RotateSignedPrekey(DioneIdentity identity, DateTimeOffset now, X25519KeyPair keyPair)
    {
        RequireOwner(identity);
        lock (_gate)
        {
            var next = NewSignedPrekey(identity, TakeId(ref _nextSignedPrekeyId), now, keyPair);
            _current.RetiredAt = now;
            _retired.Insert(0, _current);
            _current = next;
            return next;
        }
    }

    /// <summary>
    /// Deletes retired signed prekeys whose grace period has ended and that are at least
    /// <see cref="PrekeyPolicy.MaxSignedPrekeyAge"/> old, so a key a sender may still use is never gone (with them goes
    /// their replay memory: initial messages naming them are refused from then on). Call it after fetching pending intros.
    /// Returns how many were deleted.
    /// </summary>
    public int PruneExpired(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _retired.RemoveAll(key => now - key.RetiredAt!.Value >= Policy.GracePeriod && now - key.CreatedAt >= Policy.MaxSignedPrekeyAge);
        }
    }

    /// <summary>
    /// Makes <paramref name="count"/> new one-time prekeys and returns their public forms for publishing.
    /// </summary>
    /// <exception cref="InvalidOperationException">the store would hold more than <see cref="PrekeyPolicy.MaxOneTimePrekeys"/>.</exception>
    public IReadOnlyList<OneTimePrekeyPublic> GenerateOneTimePrekeys(DioneIdentity identity, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var keyPairs = new X25519KeyPair[count];
        for (var i = 0; i < count; i++)
        {
            keyPairs[i] = X25519KeyPair.Generate();
        }
        return AddOneTimePrekeys(identity, keyPairs);
    }

    internal IReadOnlyList<OneTimePrekeyPublic> AddOneTimePrekeys(DioneIdentity identity, IReadOnlyList<X25519KeyPair> keyPairs)
    {
        RequireOwner(identity);
        lock (_gate)
        {
            if (_oneTimePrekeys.Count + keyPairs.Count > Policy.MaxOneTimePrekeys)
            {
                throw new InvalidOperationException(
                    $"the store would hold {_oneTimePrekeys.Count + keyPairs.Count} one-time prekeys, more than {Policy.MaxOneTimePrekeys}");
            }
            var published = new List<OneTimePrekeyPublic>(keyPairs.Count);
            foreach (var keyPair in keyPairs)
            {
                var id = TakeId(ref _nextOneTimePrekeyId);
                var key = new OneTimePrekey(id, keyPair, PrekeySignatures.SignOneTimePrekey(identity, id, keyPair.PublicKey));
                _oneTimePrekeys.Add(id, key);
                published.Add(key.ToPublic());
            }
            return published;
        }
    }

    /// <summary>
    /// A bundle for one sender: the current signed prekey and, if <paramref name="oneTimePrekeyId"/> is given, that one-time
    /// prekey (it stays held until a session uses it).
    /// </summary>
    /// <exception cref="KeyNotFoundException">no unused one-time prekey has that id.</exception>
    public PrekeyBundle CreateBundle(uint? oneTimePrekeyId = null)
    {
        lock (_gate)
        {
            var bundle = new PrekeyBundle
            {
                Version = PrekeyBundleVerifier.BundleVersion,
                IdentityKey = ByteString.CopyFrom(Identity.Ed25519PublicKey),
                SignedPrekey = _current.ToPublic(),
            };
            if (oneTimePrekeyId is { } id)
            {
                if (!_oneTimePrekeys.TryGetValue(id, out var key))
                {
                    throw new KeyNotFoundException($"no unused one-time prekey with id {id}");
                }
                bundle.OneTimePrekey = key.ToPublic();
            }
            return bundle;
        }
    }

    /// <summary>
    /// What to publish for <paramref name="period"/> (the publication period its address is derived from): the current
    /// signed prekey and up to <paramref name="maxOneTimePrekeys"/> unused one-time prekeys, signed with the period so
    /// that a copy replayed under another period's address is refused.
    /// </summary>
    public PrekeyPublication CreatePublication(DioneIdentity identity, ulong period, int maxOneTimePrekeys = PrekeyBundleVerifier.MaxPublishedOneTimePrekeys)
    {
        RequireOwner(identity);
        ArgumentOutOfRangeException.ThrowIfNegative(maxOneTimePrekeys);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxOneTimePrekeys, PrekeyBundleVerifier.MaxPublishedOneTimePrekeys);
        PrekeyPublication publication;
        lock (_gate)
        {
            publication = new PrekeyPublication
            {
                Version = PrekeyBundleVerifier.PublicationVersion,
                IdentityKey = ByteString.CopyFrom(Identity.Ed25519PublicKey),
                SignedPrekey = _current.ToPublic(),
                Period = period,
            };
            publication.OneTimePrekeys.AddRange(_oneTimePrekeys.Values.Take(maxOneTimePrekeys).Select(key => key.ToPublic()));
        }
        publication.Signature = ByteString.CopyFrom(identity.Sign(PrekeySignatures.PublicationMessage(publication)));
        return publication;
    }

    /// <summary>The signed prekey with this id, current or retired, or null.</summary>
    public SignedPrekey? FindSignedPrekey(uint id)
    {
        lock (_gate)
        {
            return _current.Id == id ? _current : _retired.Find(key => key.Id == id);
        }
    }

    /// <summary>The unused one-time prekey with this id, or null.</summary>
    public OneTimePrekey? FindOneTimePrekey(uint id)
    {
        lock (_gate)
        {
            return _oneTimePrekeys.GetValueOrDefault(id);
        }
    }

    /// <summary>Whether a no-one-time-prekey session with this ephemeral key was accepted with this signed prekey.</summary>
    internal bool HasSeenEphemeralKey(SignedPrekey signedPrekey, ReadOnlySpan<byte> ephemeralKey)
    {
        lock (_gate)
        {
            return signedPrekey.HasSeen(ephemeralKey);
        }
    }

    /// <summary>Current first, then retired ones newest first.</summary>
    internal IReadOnlyList<SignedPrekey> SignedPrekeysNewestFirst()
    {
        lock (_gate)
        {
            return [_current, .. _retired];
        }
    }

    /// <summary>
    /// The atomic step of accepting a session: deletes the one-time prekey, or remembers the ephemeral key when there is none.
    /// Refuses (changing nothing) if the one-time prekey is gone, the ephemeral key was seen, or the signed prekey was pruned.
    /// </summary>
    internal void CommitAcceptedSession(SignedPrekey signedPrekey, uint? oneTimePrekeyId, ReadOnlySpan<byte> ephemeralKey)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_current, signedPrekey) && !_retired.Contains(signedPrekey))
            {
                throw new X3dhRejectedException(X3dhRejection.UnknownSignedPrekey, $"signed prekey {signedPrekey.Id} is no longer held");
            }
            if (oneTimePrekeyId is { } id)
            {
                if (!_oneTimePrekeys.Remove(id))
                {
                    throw new X3dhRejectedException(
                        X3dhRejection.UnknownOneTimePrekey, $"one-time prekey {id} is not held (already used, or never issued)");
                }
                return;
            }
            if (signedPrekey.HasSeen(ephemeralKey))
            {
                throw new X3dhRejectedException(
                    X3dhRejection.ReplayedEphemeralKey, "a session with this ephemeral key and no one-time prekey was already accepted");
            }
            if (signedPrekey.RememberedEphemeralKeyCount >= Policy.MaxRememberedEphemeralKeys)
            {
                throw new X3dhRejectedException(
                    X3dhRejection.ReplayCacheFull, $"signed prekey {signedPrekey.Id} remembers {Policy.MaxRememberedEphemeralKeys} ephemeral keys; rotate it");
            }
            signedPrekey.Remember(ephemeralKey);
        }
    }

    /// <summary>The whole private state as protobuf bytes (<c>PrekeyStoreState</c>). Contains private keys: store it protected.</summary>
    public byte[] ToBytes()
    {
        lock (_gate)
        {
            var state = new PrekeyStoreState
            {
                Version = StateVersion,
                IdentityKey = ByteString.CopyFrom(Identity.Ed25519PublicKey),
                CurrentSignedPrekey = ToState(_current),
                NextSignedPrekeyId = _nextSignedPrekeyId,
                NextOneTimePrekeyId = _nextOneTimePrekeyId,
            };
            state.RetiredSignedPrekeys.AddRange(_retired.Select(ToState));
            state.OneTimePrekeys.AddRange(_oneTimePrekeys.Values.Select(key => new OneTimePrekeyPrivate
            {
                Id = key.Id,
                PrivateKey = ByteString.CopyFrom(key.KeyPair.ExportPrivateKey()),
                Signature = ByteString.CopyFrom(key.Signature),
            }));
            return state.ToByteArray();
        }
    }

    /// <summary>Restores a store written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="FormatException">the bytes are not a valid version-1 state (too large, unparseable, or inconsistent).</exception>
    public static PrekeyStore FromBytes(ReadOnlySpan<byte> bytes, PrekeyPolicy? policy = null)
    {
        if (bytes.Length > MaxStateBytes)
        {
            throw new FormatException($"prekey store state is {bytes.Length} bytes, more than {MaxStateBytes}");
        }
        PrekeyStoreState state;
        try
        {
            state = PrekeyStoreState.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException("prekey store state is not valid protobuf", e);
        }
        if (state.Version != StateVersion)
        {
            throw new FormatException($"prekey store state version {state.Version} is unknown");
        }
        if (!IdentityKey.TryFromEd25519(state.IdentityKey.Span, out var identity))
        {
            throw new FormatException("prekey store state holds no valid identity key");
        }
        if (state.NextSignedPrekeyId == 0 || state.NextOneTimePrekeyId == 0)
        {
            throw new FormatException("prekey store state has a zero next id (ids start at 1)");
        }
        if (state.CurrentSignedPrekey is null)
        {
            throw new FormatException("prekey store state has no current signed prekey");
        }
        var store = new PrekeyStore(
            identity, policy ?? PrekeyPolicy.Default, FromState(state.CurrentSignedPrekey, retired: false), state.NextSignedPrekeyId, state.NextOneTimePrekeyId);
        var signedIds = new HashSet<uint> { store._current.Id };
        foreach (var retired in state.RetiredSignedPrekeys)
        {
            var key = FromState(retired, retired: true);
            if (!signedIds.Add(key.Id))
            {
                throw new FormatException($"prekey store state repeats signed prekey id {key.Id}");
            }
            store._retired.Add(key);
        }
        foreach (var oneTime in state.OneTimePrekeys)
        {
            if (oneTime.PrivateKey.Length != X25519KeyPair.KeyLength || oneTime.Signature.Length != Ed25519KeyPair.SignatureLength)
            {
                throw new FormatException($"one-time prekey {oneTime.Id} has a wrong key or signature length");
            }
            if (!store._oneTimePrekeys.TryAdd(
                oneTime.Id, new OneTimePrekey(oneTime.Id, X25519KeyPair.FromPrivateKey(oneTime.PrivateKey.Span), oneTime.Signature.ToByteArray())))
            {
                throw new FormatException($"prekey store state repeats one-time prekey id {oneTime.Id}");
            }
        }
        if (store._nextSignedPrekeyId <= signedIds.Max() || (store._oneTimePrekeys.Count > 0 && store._nextOneTimePrekeyId <= store._oneTimePrekeys.Keys.Max()))
        {
            throw new FormatException("prekey store state's next ids would reuse an id in use");
        }
        return store;
    }

    private static SignedPrekeyPrivate ToState(SignedPrekey key)
    {
        var state = new SignedPrekeyPrivate
        {
            Id = key.Id,
            PrivateKey = ByteString.CopyFrom(key.KeyPair.ExportPrivateKey()),
            CreatedUnixSeconds = (ulong)key.CreatedAt.ToUnixTimeSeconds(),
            Signature = ByteString.CopyFrom(key.Signature),
            RetiredUnixSeconds = key.RetiredAt is { } retired ? (ulong)retired.ToUnixTimeSeconds() : 0,
        };
        state.SeenEphemeralKeys.AddRange(key.SeenEphemeralKeys.Select(hex => ByteString.CopyFrom(Convert.FromHexString(hex))));
        return state;
    }

    private static SignedPrekey FromState(SignedPrekeyPrivate state, bool retired)
    {
        if (state.PrivateKey.Length != X25519KeyPair.KeyLength || state.Signature.Length != Ed25519KeyPair.SignatureLength)
        {
            throw new FormatException($"signed prekey {state.Id} has a wrong key or signature length");
        }
        if (retired != (state.RetiredUnixSeconds != 0))
        {
            throw new FormatException($"signed prekey {state.Id} has an inconsistent retirement time");
        }
        var key = new SignedPrekey(state.Id, X25519KeyPair.FromPrivateKey(state.PrivateKey.Span), ToTime(state.CreatedUnixSeconds), state.Signature.ToByteArray());
        if (retired)
        {
            key.RetiredAt = ToTime(state.RetiredUnixSeconds);
        }
        foreach (var seen in state.SeenEphemeralKeys)
        {
            if (seen.Length != X25519KeyPair.KeyLength)
            {
                throw new FormatException($"signed prekey {state.Id} remembers an ephemeral key that is not 32 bytes");
            }
            key.Remember(seen.Span);
        }
        return key;
    }

    private static DateTimeOffset ToTime(ulong unixSeconds) =>
        unixSeconds <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds((long)unixSeconds)
            : throw new FormatException($"time {unixSeconds} is out of range");

    private static SignedPrekey NewSignedPrekey(DioneIdentity identity, uint id, DateTimeOffset now, X25519KeyPair keyPair)
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        if (created.ToUnixTimeSeconds() < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(now), "prekey times are after 1970");
        }
        var signature = PrekeySignatures.SignSignedPrekey(identity, id, (ulong)created.ToUnixTimeSeconds(), keyPair.PublicKey);
        return new SignedPrekey(id, keyPair, created, signature);
    }

    private static uint TakeId(ref uint next)
    {
        if (next == uint.MaxValue)
        {
            throw new InvalidOperationException("prekey ids are exhausted");
        }
        return next++;
    }

    private void RequireOwner(DioneIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (!identity.PublicKey.Equals(Identity))
        {
            throw new ArgumentException("this identity does not own the prekey store", nameof(identity));
        }
    }
}
