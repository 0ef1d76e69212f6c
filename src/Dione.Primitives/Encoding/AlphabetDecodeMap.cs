namespace Dione.Primitives.Encoding;

/// <summary>The ASCII-to-digit table every alphabet codec decodes through: -1 for a character outside the alphabet.</summary>
public static class AlphabetDecodeMap
{
    /// <param name="caseInsensitive">Also map the other case of every letter to the same digit.</param>
    public static sbyte[] Build(string alphabet, bool caseInsensitive)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        var map = new sbyte[128];
        Array.Fill(map, (sbyte)-1);
        for (var i = 0; i < alphabet.Length; i++)
        {
            map[alphabet[i]] = (sbyte)i;
            if (caseInsensitive)
            {
                map[char.ToUpperInvariant(alphabet[i])] = (sbyte)i;
                map[char.ToLowerInvariant(alphabet[i])] = (sbyte)i;
            }
        }
        return map;
    }
}
