using System.Text.Json;

namespace Dione.Messaging.Tests.Ratchet;

/// <summary>Reads a committed JSON vector file from the test output's Vectors folder.</summary>
internal static class VectorFile
{
    public static JsonElement Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", name);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    public static byte[] Bytes(this JsonElement element, string property) => Convert.FromHexString(element.GetProperty(property).GetString()!);

    public static string Hex(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
