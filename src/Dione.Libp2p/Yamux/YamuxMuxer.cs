using Dione.Libp2p.Muxing;
using Microsoft.Extensions.Logging;

namespace Dione.Libp2p.Yamux;

/// <summary>Yamux as one of the host's stream muxers: each connection gets a started <see cref="YamuxSession"/>.</summary>
public sealed class YamuxMuxer : IStreamMuxer
{
    private readonly YamuxSettings _settings;
    private readonly ILoggerFactory? _loggerFactory;

    /// <param name="settings">Limits and tuning of every session; defaults when null. Validated here.</param>
    /// <param name="loggerFactory">Optional logging for the sessions.</param>
    public YamuxMuxer(YamuxSettings? settings = null, ILoggerFactory? loggerFactory = null)
    {
        _settings = settings?.Clone() ?? new YamuxSettings();
        _settings.Validate();
        _loggerFactory = loggerFactory;
    }

    public string ProtocolId => YamuxProtocol.Id;

    public IMuxedConnection Start(Stream secured, bool isInitiator)
    {
        var session = new YamuxSession(secured, isInitiator, _settings, _loggerFactory?.CreateLogger<YamuxSession>());
        session.Start();
        return session;
    }
}
