using Microsoft.Extensions.Logging;

namespace Dione.Libp2p.Yamux;

public sealed partial class YamuxSession
{
    // Payload remainders at least this large are read from the transport straight into the stream's buffer.
    private const int DirectReadThreshold = 8 * 1024;

    private async Task ReadLoopAsync(CancellationToken token)
    {
        Exception reason;
        YamuxGoAwayCode? goAway = null;
        var reader = new YamuxFrameReader(ReadBufferSize);
        try
        {
            reason = await ReadFramesAsync(reader, token).ConfigureAwait(false);
        }
        catch (YamuxProtocolException ex)
        {
            _logger.LogDebug("Yamux protocol violation by the remote: {Reason}", ex.Message);
            reason = ex;
            goAway = YamuxGoAwayCode.ProtocolError;
        }
        catch (Exception ex) when (IsClosed)
        {
            // The session is already closing; its own reason stands.
            reason = ex;
        }
        catch (Exception ex)
        {
            reason = new YamuxSessionClosedException("The yamux transport failed.", ex);
        }
        finally
        {
            reader.Dispose();
        }
        await CloseAsync(reason, goAway, flush: goAway is not null).ConfigureAwait(false);
    }

    // One state machine for the whole session: no allocation per frame.
    private async Task<Exception> ReadFramesAsync(YamuxFrameReader reader, CancellationToken token)
    {
        while (true)
        {
            YamuxHeader header;
            while (!reader.TryReadHeader(out header))
            {
                var read = await _transport.ReadAsync(reader.GetFillMemory(), token).ConfigureAwait(false);
                if (read == 0)
                {
                    if (reader.Buffered == 0)
                    {
                        return new YamuxSessionClosedException("The remote closed the yamux transport.");
                    }
                    throw new EndOfStreamException("The yamux transport ended inside a frame header.");
                }
                reader.CommitFill(read);
            }

            switch (header.Type)
            {
                case YamuxFrameType.Data:
                    {
                        var stream = ResolveStream(header);
                        if (stream is not null && !stream.TryConsumeReceiveWindow(header.Length))
                        {
                            throw new YamuxProtocolException(
                                $"The remote sent {header.Length} bytes on stream {header.StreamId}, more than its window allows.");
                        }
                        var remaining = header.Length;
                        while (remaining > 0)
                        {
                            if (reader.Buffered > 0)
                            {
                                var chunk = reader.Take((int)Math.Min(remaining, (uint)reader.Buffered));
                                stream?.Deliver(chunk);
                                remaining -= (uint)chunk.Length;
                            }
                            else if (remaining >= DirectReadThreshold && stream is not null
                                && stream.TryGetReceiveMemory((int)Math.Min(remaining, int.MaxValue), out var memory))
                            {
                                var read = 0;
                                try
                                {
                                    read = await _transport.ReadAsync(memory, token).ConfigureAwait(false);
                                }
                                finally
                                {
                                    stream.CommitReceive(read);
                                }
                                if (read == 0)
                                {
                                    throw new EndOfStreamException("The yamux transport ended inside a data frame.");
                                }
                                remaining -= (uint)read;
                            }
                            else
                            {
                                var read = await _transport.ReadAsync(reader.GetFillMemory(), token).ConfigureAwait(false);
                                if (read == 0)
                                {
                                    throw new EndOfStreamException("The yamux transport ended inside a data frame.");
                                }
                                reader.CommitFill(read);
                            }
                        }
                        stream?.OnRemoteFlags(header.Flags);
                        break;
                    }
                case YamuxFrameType.WindowUpdate:
                    {
                        var stream = ResolveStream(header);
                        if (stream is null)
                        {
                            break;
                        }
                        // With RST the length is an error code (go-yamux), not a window delta.
                        if ((header.Flags & YamuxFlags.Rst) == 0 && !stream.TryAddSendWindow(header.Length))
                        {
                            throw new YamuxProtocolException($"The window of stream {header.StreamId} overflowed.");
                        }
                        stream.OnRemoteFlags(header.Flags);
                        break;
                    }
                case YamuxFrameType.Ping:
                    HandlePing(header);
                    break;
                case YamuxFrameType.GoAway:
                    if (header.Length != (uint)YamuxGoAwayCode.Normal)
                    {
                        return new YamuxSessionClosedException($"The remote ended the yamux session with GoAway code {header.Length}.");
                    }
                    OnRemoteGoAway();
                    break;
            }
        }
    }

    /// <summary>Finds the stream a data or window update frame addresses, creating it for a SYN; null to drop the frame.</summary>
    private YamuxStream? ResolveStream(YamuxHeader header)
    {
        if (header.StreamId == 0)
        {
            throw new YamuxProtocolException($"A {header.Type} frame used the session id 0.");
        }
        if ((header.Flags & YamuxFlags.Syn) != 0)
        {
            return OpenInbound(header.StreamId);
        }
        lock (_streamsLock)
        {
            // Unknown ids are streams we already forgot (reset or closed): their frames are dropped.
            return _streams.GetValueOrDefault(header.StreamId);
        }
    }

    private YamuxStream? OpenInbound(uint id)
    {
        if (!IsInboundId(id))
        {
            throw new YamuxProtocolException($"The remote opened stream {id}, an id of this side's parity.");
        }
        string? rejection = null;
        YamuxStream? stream = null;
        lock (_streamsLock)
        {
            if (_streams.ContainsKey(id))
            {
                throw new YamuxProtocolException($"The remote opened stream {id} while it is still open.");
            }
            if (_localGoAway || _remoteGoAway || IsClosed)
            {
                rejection = "the session is going away";
            }
            else if (_inboundCount >= Settings.MaxInboundStreams)
            {
                rejection = "too many inbound streams are open";
            }
            else
            {
                stream = new YamuxStream(this, id, isOutbound: false, Settings);
                if (_acceptQueue.Writer.TryWrite(stream))
                {
                    _streams.Add(id, stream);
                    _inboundCount++;
                }
                else
                {
                    stream = null;
                    rejection = "the accept backlog is full";
                }
            }
        }
        if (rejection is not null)
        {
            _logger.LogDebug("Yamux resets inbound stream {StreamId}: {Reason}.", id, rejection);
            TryEnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, id, 0));
        }
        return stream;
    }

    private void HandlePing(YamuxHeader header)
    {
        if ((header.Flags & YamuxFlags.Syn) != 0)
        {
            // Dropped rather than queued without bound when a peer pings but does not read.
            TryEnqueueControl(new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Ack, 0, header.Length), droppable: true);
        }
        else if ((header.Flags & YamuxFlags.Ack) != 0)
        {
            OnPong(header.Length);
        }
    }

    private void OnRemoteGoAway()
    {
        _logger.LogDebug("Yamux remote sent GoAway.");
        lock (_streamsLock)
        {
            _remoteGoAway = true;
        }
        // Streams already queued can still be accepted; no new ones will come.
        _acceptQueue.Writer.TryComplete();
        CloseIfGoneAway();
    }
}
