using Dione.Messaging.Envelopes;
using Microsoft.Extensions.Logging;

namespace Dione.Messenger.Conversations;

/// <summary>
/// Says, in one warning line, that a fetched envelope was refused because it is of another messaging wire-format
/// version (a contact runs a build this one cannot talk to). The envelope stays where it is stored, so every poll
/// fetches it again: each address is reported once (of the last <see cref="MaxRemembered"/>), not once per poll.
/// </summary>
internal sealed partial class EnvelopeVersionRefusals(ILogger logger)
{
    public const int MaxRemembered = 1024;

    private readonly HashSet<string> _reported = [];
    private readonly Lock _lock = new();

    /// <summary>Logs <paramref name="refusal"/> unless its address was reported already; true when it logged.</summary>
    public bool Report(UnsupportedEnvelopeVersionException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var address = Convert.ToHexString(refusal.Address);
        lock (_lock)
        {
            if (_reported.Count >= MaxRemembered)
            {
                _reported.Clear();
            }
            if (!_reported.Add(address))
            {
                return false;
            }
        }
        Refused(logger, address, refusal.Version, EnvelopeCodec.Version);
        return true;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning,
        Message = "refused the envelope at {Address}: it is messaging wire format version {Version}, this node reads version {Supported} only (the sender runs an incompatible build); it was left unread")]
    private static partial void Refused(ILogger logger, string address, uint version, uint supported);
}
