using System.Security.Cryptography;
using System.Text;
using Dione.Messaging.Protos;
using Dione.Messenger.Conversations;
using Dione.Messenger.Protos;
using Dione.Messenger.Store;
using Google.Protobuf;

namespace Dione.Cli.Commands;

/// <summary>
/// Test-only (<c>scripts/soak-messaging.sh</c>): when the daemon starts with <c>DIONE_TEST_STORE_LOG=FILE</c>, every
/// STORE its holder answers is appended to FILE as one JSON line, refused ones included:
/// <c>{"address":HEX,"sha256":HEX,"kind":K,"outcome":STATUS}</c>, where <c>sha256</c> is the hash of the envelope bytes and
/// K is <c>session</c> (a ratchet envelope: it has a header, whose nonce is the address's first 12 bytes),
/// <c>carrier</c> (an intro carrier, with the ratchet envelope inside it as <c>inner_address</c>/<c>inner_sha256</c>),
/// <c>other</c> (no header and no intro: a prekey publication) or <c>unparsable</c>. Each line is handed to the OS
/// before the holder answers, so a <c>kill -9</c> loses none that was answered.
/// </summary>
public sealed class StoreLogFile : IStoreObserver, IDisposable
{
    public const string EnvironmentVariable = "DIONE_TEST_STORE_LOG";

    private readonly FileStream _file;
    private readonly Lock _writing = new();

    private StoreLogFile(FileStream file) => _file = file;

    /// <summary>The log named by <see cref="EnvironmentVariable"/>, or null when it is not set.</summary>
    /// <exception cref="CliException">the file cannot be opened for appending.</exception>
    public static StoreLogFile? FromEnvironment()
    {
        var path = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        try
        {
            return new StoreLogFile(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot open the store log {path} ({EnvironmentVariable}): {e.Message}");
        }
    }

    public void StoreAnswered(ReadOnlyMemory<byte> envelope, StoreResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var line = Encoding.UTF8.GetBytes(Describe(envelope.Span, response.Status.ToString()) + "\n");
        lock (_writing)
        {
            _file.Write(line);
            _file.Flush();
        }
    }

    public void Dispose() => _file.Dispose();

    private static string Describe(ReadOnlySpan<byte> bytes, string outcome)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        DioneEnvelope envelope;
        try
        {
            envelope = DioneEnvelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return $$"""{"address":"","sha256":"{{hash}}","kind":"unparsable","outcome":"{{outcome}}"}""";
        }
        var address = Convert.ToHexStringLower(envelope.Address.Span);
        if (!envelope.Header.IsEmpty)
        {
            return $$"""{"address":"{{address}}","sha256":"{{hash}}","kind":"session","outcome":"{{outcome}}"}""";
        }
        if (!IntroCarrier.IsCarrier(envelope))
        {
            return $$"""{"address":"{{address}}","sha256":"{{hash}}","kind":"other","outcome":"{{outcome}}"}""";
        }
        try
        {
            var inner = IntroCarrier.Unwrap(envelope);
            return $$"""{"address":"{{address}}","sha256":"{{hash}}","kind":"carrier","outcome":"{{outcome}}","inner_address":"{{Convert.ToHexStringLower(inner.Address.Span)}}","inner_sha256":"{{Convert.ToHexStringLower(SHA256.HashData(envelope.Body.Span))}}"}""";
        }
        catch (InvalidProtocolBufferException)
        {
            return $$"""{"address":"{{address}}","sha256":"{{hash}}","kind":"carrier","outcome":"{{outcome}}","inner_address":"","inner_sha256":""}""";
        }
    }
}
