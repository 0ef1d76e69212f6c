using System.Text;

namespace Dione.Kademlia.Records;

/// <summary>
/// Dispatches by the key's namespace (<c>/pk/…</c>, <c>/ipns/…</c>: the raw key's bytes between the leading '/' and
/// the next '/') to the validator registered for it, and refuses every namespace nobody registered, as
/// go-libp2p-record's NamespacedValidator and kubo do.
/// </summary>
public sealed class NamespacedValidator : IRecordValidator
{
    private readonly Lock _gate = new();
    private Dictionary<string, IRecordValidator> _validators = new(StringComparer.Ordinal);

    /// <summary>A validator for kubo's namespaces only: <c>pk</c> and <c>ipns</c>.</summary>
    /// <param name="timeProvider">the clock that decides IPNS expiry; the system clock by default.</param>
    public static NamespacedValidator CreateDefault(TimeProvider? timeProvider = null)
    {
        var validator = new NamespacedValidator();
        validator.Register(PublicKeyValidator.Namespace, new PublicKeyValidator());
        validator.Register(IpnsValidator.Namespace, new IpnsValidator(timeProvider));
        return validator;
    }

    /// <summary>Serves namespace <paramref name="ns"/> with <paramref name="validator"/>, replacing any earlier one.</summary>
    /// <exception cref="ArgumentException">an empty namespace or one containing '/'.</exception>
    public void Register(string ns, IRecordValidator validator)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentNullException.ThrowIfNull(validator);
        if (ns.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("a namespace cannot contain '/'", nameof(ns));
        }
        lock (_gate)
        {
            _validators = new Dictionary<string, IRecordValidator>(_validators, StringComparer.Ordinal) { [ns] = validator };
        }
    }

    /// <summary>The registered namespaces.</summary>
    public IReadOnlyCollection<string> Namespaces => Volatile.Read(ref _validators).Keys;

    /// <exception cref="RecordValidationException">a key without a namespace, an unregistered namespace, or whatever
    /// the namespace's validator refuses.</exception>
    public void Validate(byte[] key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ValidatorFor(key).Validate(key, value);
    }

    /// <exception cref="RecordValidationException">no values (nothing can be chosen).</exception>
    /// <exception cref="RecordValidationException">a key without a registered namespace, or whatever the namespace's
    /// validator refuses.</exception>
    public int Select(byte[] key, IReadOnlyList<byte[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new RecordValidationException("no values to select from");
        }
        return ValidatorFor(key).Select(key, values);
    }

    private IRecordValidator ValidatorFor(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!RecordKey.TrySplit(key, out var ns, out _))
        {
            throw new RecordValidationException("record key has no /namespace/ prefix");
        }
        string name;
        try
        {
            name = StrictUtf8.GetString(ns);
        }
        catch (DecoderFallbackException e)
        {
            throw new RecordValidationException("record key namespace is not UTF-8", e);
        }
        return Volatile.Read(ref _validators).TryGetValue(name, out var validator)
            ? validator
            : throw new RecordValidationException($"record namespace '{(name.Length > 32 ? name[..32] + "…" : name)}' is not accepted");
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
