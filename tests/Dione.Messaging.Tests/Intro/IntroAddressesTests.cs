using Dione.Messaging.Identity;
using Dione.Messaging.Intro;

namespace Dione.Messaging.Tests.Intro;

public class IntroAddressesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Addresses_differ_across_recipients_periods_and_slots()
    {
        var addresses = new IntroAddresses();
        var seen = new HashSet<string>();
        for (var r = 0; r < 10; r++)
        {
            var recipient = DioneIdentity.Generate().PublicKey;
            for (ulong period = 20_000; period < 20_005; period++)
            {
                for (ushort slot = 0; slot < 16; slot++)
                {
                    var address = addresses.Compute(recipient, period, slot);
                    Assert.Equal(32, address.Length);
                    Assert.True(seen.Add(Convert.ToHexString(address)));
                }
            }
        }
        Assert.Equal(800, seen.Count);
    }

    [Fact]
    public void The_recipient_polls_every_slot_of_the_previous_and_current_period_including_where_a_sender_wrote()
    {
        var addresses = new IntroAddresses();
        var bob = DioneIdentity.Generate().PublicKey;
        var poll = addresses.PollAddresses(bob, Now);
        Assert.Equal(32, poll.Count);
        var current = addresses.PeriodAt(Now);
        Assert.Equal([current - 1, current], poll.Select(a => a.Period).Distinct().ToArray());
        var polled = poll.Select(a => Convert.ToHexString(a.Address)).ToHashSet();
        for (var i = 0; i < 50; i++)
        {
            var sent = addresses.ForSender(bob, Now);
            Assert.Contains(Convert.ToHexString(sent.Address), polled);
            Assert.Equal(addresses.Compute(bob, sent.Period, sent.Slot), sent.Address);
        }
        // A sender a few hours behind, in the previous period, is still found.
        var late = addresses.ForSender(bob, Now - TimeSpan.FromHours(13));
        Assert.Contains(Convert.ToHexString(late.Address), polled);
    }

    [Fact]
    public void Periods_are_whole_days_since_the_epoch_by_default()
    {
        var addresses = new IntroAddresses();
        Assert.Equal(0UL, addresses.PeriodAt(DateTimeOffset.UnixEpoch));
        Assert.Equal(0UL, addresses.PeriodAt(DateTimeOffset.UnixEpoch.AddSeconds(86_399)));
        Assert.Equal(1UL, addresses.PeriodAt(DateTimeOffset.UnixEpoch.AddSeconds(86_400)));
        Assert.Equal((ulong)(Now.ToUnixTimeSeconds() / 86_400), addresses.PeriodAt(Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => addresses.PeriodAt(DateTimeOffset.UnixEpoch.AddSeconds(-1)));
        var hourly = new IntroAddresses(new IntroAddressOptions { PeriodLength = TimeSpan.FromHours(1), SlotsPerPeriod = 4 });
        Assert.Equal((ulong)(Now.ToUnixTimeSeconds() / 3600), hourly.PeriodAt(Now));
        Assert.Equal(8, hourly.PollAddresses(DioneIdentity.Generate().PublicKey, Now).Count);
    }

    [Fact]
    public void Polling_after_an_absence_covers_every_missed_period_up_to_the_cap()
    {
        var addresses = new IntroAddresses();
        var bob = DioneIdentity.Generate().PublicKey;
        var since = addresses.PollAddressesSince(bob, Now - TimeSpan.FromDays(5), Now);
        Assert.Equal(7 * 16, since.Count); // the period before the last poll, the five since, and the current one
        var capped = addresses.PollAddressesSince(bob, Now - TimeSpan.FromDays(1000), Now);
        Assert.Equal(IntroAddresses.MaxPolledPeriods * 16, capped.Count);
        Assert.Equal(addresses.PeriodAt(Now), capped[^1].Period);
        var future = addresses.PollAddressesSince(bob, Now + TimeSpan.FromDays(3), Now);
        Assert.Equal(32, future.Count);
    }

    [Fact]
    public void Bad_options_and_slots_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntroAddresses(new IntroAddressOptions { PeriodLength = TimeSpan.FromSeconds(59) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntroAddresses(new IntroAddressOptions { PeriodLength = TimeSpan.FromMilliseconds(90_500) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntroAddresses(new IntroAddressOptions { SlotsPerPeriod = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntroAddresses().Compute(DioneIdentity.Generate().PublicKey, 1, 16));
    }
}
