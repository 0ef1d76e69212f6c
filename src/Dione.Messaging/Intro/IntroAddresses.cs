using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Dione.Messaging.Identity;

namespace Dione.Messaging.Intro;

/// <summary>
/// Where a session's first message waits for an offline recipient. For recipient identity IK_B, period p and slot s:
/// address = HMAC-SHA-256(key = SHA-256("Dione_Intro_v1" || IK_B Ed25519 public key), data = p (u64 BE) || s (u16 BE)).
/// Anyone who knows IK_B can compute these (that is the point: a new contact can), so they reveal that someone writes to
/// IK_B in period p, never who (the envelope's intro is sealed, see <see cref="IntroSeal"/>).
/// </summary>
public sealed class IntroAddresses
{
    public const string Label = "Dione_Intro_v1";

    /// <summary>The most periods <see cref="PollAddressesSince"/> returns, whatever it is asked.</summary>
    public const int MaxPolledPeriods = 64;

    private readonly IntroAddressOptions _options;
    private readonly long _periodSeconds;

    /// <exception cref="ArgumentOutOfRangeException">a period shorter than one minute or not whole seconds, or slots outside 1..65536.</exception>
    public IntroAddresses(IntroAddressOptions? options = null)
    {
        _options = options ?? IntroAddressOptions.Default;
        if (_options.PeriodLength < TimeSpan.FromMinutes(1) || _options.PeriodLength.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "an intro period is whole seconds, at least one minute");
        }
        if (_options.SlotsPerPeriod is < 1 or > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "slots per period are 1 to 65536");
        }
        _periodSeconds = (long)_options.PeriodLength.TotalSeconds;
    }

    public IntroAddressOptions Options => _options;

    /// <summary>The period number of a time: whole periods since the Unix epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">a time before 1970.</exception>
    public ulong PeriodAt(DateTimeOffset time)
    {
        var seconds = time.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(seconds, nameof(time));
        return (ulong)(seconds / _periodSeconds);
    }

    /// <summary>The 32-byte intro address of <paramref name="recipient"/> for a period and slot.</summary>
    public byte[] Compute(IdentityKey recipient, ulong period, ushort slot)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (slot >= _options.SlotsPerPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), $"slot {slot} is not below {_options.SlotsPerPeriod}");
        }
        var key = RecipientKey(recipient);
        Span<byte> data = stackalloc byte[10];
        BinaryPrimitives.WriteUInt64BigEndian(data, period);
        BinaryPrimitives.WriteUInt16BigEndian(data[8..], slot);
        return HMACSHA256.HashData(key, data);
    }

    /// <summary>Where a sender puts an intro now: the current period and a slot chosen uniformly at random.</summary>
    public IntroAddress ForSender(IdentityKey recipient, DateTimeOffset now)
    {
        var period = PeriodAt(now);
        var slot = (ushort)RandomNumberGenerator.GetInt32(_options.SlotsPerPeriod);
        return new IntroAddress(period, slot, Compute(recipient, period, slot));
    }

    /// <summary>What a recipient polls: every slot of the previous and the current period (previous first).</summary>
    public IReadOnlyList<IntroAddress> PollAddresses(IdentityKey self, DateTimeOffset now)
    {
        var current = PeriodAt(now);
        return ForPeriods(self, current == 0 ? 0 : current - 1, current);
    }

    /// <summary>
    /// What a recipient that was offline polls: every slot of every period from the one before <paramref name="lastPoll"/>
    /// to the current one, at most <see cref="MaxPolledPeriods"/> (the newest ones) — intros older than that have expired.
    /// </summary>
    public IReadOnlyList<IntroAddress> PollAddressesSince(IdentityKey self, DateTimeOffset lastPoll, DateTimeOffset now)
    {
        var current = PeriodAt(now);
        var first = Math.Min(PeriodAt(lastPoll), current);
        first = first == 0 ? 0 : first - 1;
        if (current - first >= MaxPolledPeriods)
        {
            first = current - MaxPolledPeriods + 1;
        }
        return ForPeriods(self, first, current);
    }

    private List<IntroAddress> ForPeriods(IdentityKey self, ulong first, ulong last)
    {
        ArgumentNullException.ThrowIfNull(self);
        var key = RecipientKey(self);
        var addresses = new List<IntroAddress>((int)(last - first + 1) * _options.SlotsPerPeriod);
        Span<byte> data = stackalloc byte[10];
        for (var period = first; period <= last; period++)
        {
            for (var slot = 0; slot < _options.SlotsPerPeriod; slot++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(data, period);
                BinaryPrimitives.WriteUInt16BigEndian(data[8..], (ushort)slot);
                addresses.Add(new IntroAddress(period, (ushort)slot, HMACSHA256.HashData(key, data)));
            }
        }
        return addresses;
    }

    private static byte[] RecipientKey(IdentityKey recipient) =>
        SHA256.HashData([.. Encoding.ASCII.GetBytes(Label), .. recipient.Ed25519PublicKey]);
}
