using Dione.Messaging.Identity;
using Dione.Messaging.X3dh;
using Google.Protobuf;

namespace Dione.Messaging.Tests.X3dh;

/// <summary>
/// Seeded mutations of real inputs into every parser that faces the network (or disk). Each must either accept the input or
/// refuse it with its documented exception — never another exception type, never a hang.
/// </summary>
public class ParserMutationTests
{
    private static readonly DateTimeOffset Now = X3dhParties.Now;

    [Fact]
    public void Mutated_bundles_only_ever_fail_with_invalid_prekey_bundle_exception()
    {
        var parties = new X3dhParties();
        var seeds = new[]
        {
            parties.BobStore.CreateBundle(parties.BobStore.OneTimePrekeyIds[0]).ToByteArray(),
            parties.BobStore.CreateBundle().ToByteArray(),
        };
        var outcome = Run(100_000, 1, seeds, input => PrekeyBundleVerifier.Verify(input, parties.Bob.PublicKey, Now), typeof(InvalidPrekeyBundleException));
        Assert.True(outcome.Refused > 90_000, $"only {outcome.Refused} refused");
    }

    [Fact]
    public void Mutated_publications_only_ever_fail_with_invalid_prekey_bundle_exception()
    {
        var parties = new X3dhParties(oneTimePrekeys: 3);
        var seeds = new[] { parties.BobStore.CreatePublication(parties.Bob, period: 1).ToByteArray() };
        Run(10_000, 2, seeds, input =>
        {
            var publication = PrekeyBundleVerifier.VerifyPublication(input, parties.Bob.PublicKey, period: 1);
            PrekeyBundleVerifier.Verify(PrekeyBundleVerifier.PickBundle(publication), parties.Bob.PublicKey, Now);
        }, typeof(InvalidPrekeyBundleException));
    }

    [Fact]
    public void Mutated_initial_data_only_ever_fails_with_x3_dh_rejected_exception()
    {
        var parties = new X3dhParties(oneTimePrekeys: 2);
        var seeds = new[] { parties.Initiate().InitialData.ToByteArray(), parties.Initiate(false).InitialData.ToByteArray() };
        Run(20_000, 3, seeds, input => X3dhResponder.Accept(parties.Bob, parties.BobStore, input), typeof(X3dhRejectedException));
    }

    [Fact]
    public void Mutated_intros_only_ever_fail_with_x3_dh_rejected_exception()
    {
        var parties = new X3dhParties(oneTimePrekeys: 2);
        var seeds = new[] { parties.Initiate().SealedIntro.ToArray(), parties.Initiate(false).SealedIntro.ToArray() };
        var outcome = Run(10_000, 4, seeds, input => X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, input), typeof(X3dhRejectedException));
        Assert.True(outcome.Accepted <= 2, $"{outcome.Accepted} mutated intros were accepted");
    }

    [Fact]
    public void Mutated_store_state_only_ever_fails_with_format_exception()
    {
        var parties = new X3dhParties(oneTimePrekeys: 2);
        X3dhResponder.AcceptIntro(parties.Bob, parties.BobStore, parties.Initiate(false).SealedIntro);
        parties.BobStore.RotateSignedPrekey(parties.Bob, Now);
        var seeds = new[] { parties.BobStore.ToBytes() };
        Run(5_000, 5, seeds, input => PrekeyStore.FromBytes(input), typeof(FormatException));
    }

    [Fact]
    public void Mutated_addresses_only_ever_fail_with_format_exception()
    {
        var seeds = Enumerable.Range(0, 4).Select(_ => System.Text.Encoding.ASCII.GetBytes(DioneIdentity.Generate().PublicKey.ToAddress())).ToArray();
        var outcome = Run(20_000, 6, seeds, input => DioneAddress.Parse(System.Text.Encoding.Latin1.GetString(input)), typeof(FormatException));
        Assert.True(outcome.Accepted < 20, $"{outcome.Accepted} mutated addresses were accepted");
    }

    private static (int Accepted, int Refused) Run(int iterations, int seed, byte[][] seeds, Action<byte[]> parse, Type allowed)
    {
        var mutator = new SeededMutator(seed);
        var accepted = 0;
        var refused = 0;
        for (var i = 0; i < iterations; i++)
        {
            var input = mutator.Next(seeds);
            try
            {
                parse(input);
                accepted++;
            }
            catch (Exception e) when (e.GetType() == allowed)
            {
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i}: {e.GetType().Name} ({e.Message}) for input {Convert.ToHexString(input)}");
            }
        }
        return (accepted, refused);
    }
}
