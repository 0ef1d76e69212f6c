namespace Dione.Messenger.Mailbox;

/// <summary>How waits for envelopes at several places (holders, or kinds of traffic) are joined into one answer.</summary>
public static class EnvelopeWaits
{
    /// <summary>The first non-empty answer among <paramref name="pending"/>, or nothing once all of them answered empty.</summary>
    public static async Task<IReadOnlyList<byte[]>> FirstWithEnvelopesAsync(List<Task<IReadOnlyList<byte[]>>> pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            var envelopes = await done.ConfigureAwait(false);
            if (envelopes.Count > 0)
            {
                return envelopes;
            }
        }
        return [];
    }
}
