using Dione.Messaging.Envelopes;
using Dione.Messenger.Conversations;
using Dione.Messenger.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Tests.Conversations;

public sealed class EnvelopeVersionRefusalsTests
{
    [Fact]
    public void An_envelope_of_another_version_is_one_warning_line_per_address_not_one_per_poll()
    {
        var logger = new RecordingLogger();
        var refusals = new EnvelopeVersionRefusals(logger);
        var address = Enumerable.Repeat((byte)0xab, 32).ToArray();

        Assert.True(refusals.Report(new UnsupportedEnvelopeVersionException(1, address)));
        Assert.False(refusals.Report(new UnsupportedEnvelopeVersionException(1, address)));
        Assert.True(refusals.Report(new UnsupportedEnvelopeVersionException(3, new byte[32])));

        Assert.Equal(
            [
                (LogLevel.Warning, $"refused the envelope at {Convert.ToHexString(address)}: it is messaging wire format version 1, "
                    + "this node reads version 2 only (the sender runs an incompatible build); it was left unread"),
                (LogLevel.Warning, $"refused the envelope at {new string('0', 64)}: it is messaging wire format version 3, "
                    + "this node reads version 2 only (the sender runs an incompatible build); it was left unread"),
            ],
            logger.Lines);
    }

    [Fact]
    public void The_memory_of_reported_addresses_is_bounded()
    {
        var logger = new RecordingLogger();
        var refusals = new EnvelopeVersionRefusals(logger);

        for (var i = 0; i <= EnvelopeVersionRefusals.MaxRemembered; i++)
        {
            refusals.Report(new UnsupportedEnvelopeVersionException(2, BitConverter.GetBytes(i)));
        }

        // The first address was forgotten when the memory filled, so it is reported again.
        Assert.True(refusals.Report(new UnsupportedEnvelopeVersionException(2, BitConverter.GetBytes(0))));
        Assert.Equal(EnvelopeVersionRefusals.MaxRemembered + 2, logger.Lines.Count);
    }
}
