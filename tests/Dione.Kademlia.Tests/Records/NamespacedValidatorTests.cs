using System.Text;
using Dione.Kademlia.Records;
using Dione.Libp2p.Identity;

namespace Dione.Kademlia.Tests.Records;

public class NamespacedValidatorTests
{
    private sealed class RecordingValidator : IRecordValidator
    {
        public List<string> Calls { get; } = [];

        public void Validate(byte[] key, byte[] value) => Calls.Add("validate " + Encoding.ASCII.GetString(key));

        public int Select(byte[] key, IReadOnlyList<byte[]> values)
        {
            Calls.Add("select " + Encoding.ASCII.GetString(key));
            return values.Count - 1;
        }
    }

    [Fact]
    public void The_default_serves_exactly_pk_and_ipns()
    {
        var validator = NamespacedValidator.CreateDefault();

        Assert.Equal(["ipns", "pk"], validator.Namespaces.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dispatches_pk_and_ipns_records_to_their_validators()
    {
        var validator = NamespacedValidator.CreateDefault();
        var key = PrivateKey.Generate();
        var peer = PeerId.FromPublicKey(key.PublicKey);
        var ipns = IpnsRecord.Create(key, "/ipfs/bafkqaaa"u8, 1, DateTimeOffset.UtcNow.AddHours(1), TimeSpan.Zero);

        validator.Validate(PublicKeyValidator.RoutingKey(peer), key.PublicKey.ToProtobuf());
        validator.Validate(IpnsRecord.RoutingKey(peer), ipns);
        Assert.Throws<RecordValidationException>(() => validator.Validate(PublicKeyValidator.RoutingKey(peer), ipns));
        Assert.Throws<RecordValidationException>(() => validator.Validate(IpnsRecord.RoutingKey(peer), key.PublicKey.ToProtobuf()));
    }

    [Theory]
    [InlineData("/v/key")]
    [InlineData("/provider/key")]
    [InlineData("/ipfs/key")]
    [InlineData("/pkx/key")]
    [InlineData("no-namespace")]
    [InlineData("/pk")]
    [InlineData("//pk/")]
    [InlineData("")]
    public void Refuses_every_other_namespace(string key)
    {
        var validator = NamespacedValidator.CreateDefault();

        Assert.Throws<RecordValidationException>(() => validator.Validate(Encoding.ASCII.GetBytes(key), [1]));
        Assert.Throws<RecordValidationException>(() => validator.Select(Encoding.ASCII.GetBytes(key), [[1]]));
    }

    [Fact]
    public void Refuses_a_namespace_that_is_not_utf8()
    {
        var validator = NamespacedValidator.CreateDefault();

        Assert.Throws<RecordValidationException>(() => validator.Validate([(byte)'/', 0xff, (byte)'/', 1], [1]));
    }

    [Fact]
    public void A_registered_namespace_is_dispatched_with_the_whole_key()
    {
        var validator = NamespacedValidator.CreateDefault();
        var custom = new RecordingValidator();

        validator.Register("dione", custom);
        validator.Validate("/dione/a/b"u8.ToArray(), [1]);
        var selected = validator.Select("/dione/a/b"u8.ToArray(), [[1], [2], [3]]);

        Assert.Equal(2, selected);
        Assert.Equal(["validate /dione/a/b", "select /dione/a/b"], custom.Calls);
    }

    [Fact]
    public void Registering_again_replaces_the_validator()
    {
        var validator = new NamespacedValidator();
        var first = new RecordingValidator();
        var second = new RecordingValidator();

        validator.Register("x", first);
        validator.Register("x", second);
        validator.Validate("/x/1"u8.ToArray(), [1]);

        Assert.Empty(first.Calls);
        Assert.Single(second.Calls);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    public void Namespaces_must_be_non_empty_without_slashes(string ns)
    {
        Assert.Throws<ArgumentException>(() => new NamespacedValidator().Register(ns, new RecordingValidator()));
    }

    [Fact]
    public void Select_refuses_an_empty_list()
    {
        Assert.Throws<RecordValidationException>(() => NamespacedValidator.CreateDefault().Select("/pk/x"u8.ToArray(), []));
    }
}
