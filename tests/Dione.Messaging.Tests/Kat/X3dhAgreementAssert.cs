using Dione.Messaging.X3dh;

namespace Dione.Messaging.Tests.Kat;

internal static class X3dhAgreementAssert
{
    public static void SameSecrets(X3dhSecrets expected, X3dhSecrets actual) =>
        Dione.Messaging.Tests.X3dh.X3dhAgreementTests.AssertSameSecrets(expected, actual);
}
