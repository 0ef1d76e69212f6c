namespace Dione.Kademlia.Tests.Records;

/// <summary>
/// IPNS record fixtures from ipfs/gateway-conformance (fixtures/ipns_records holds the six test vectors of the IPNS
/// record spec, "Appendix: Test Vectors"; the others are the records its gateway tests resolve). Valid until 2123 or later.
/// </summary>
internal static class IpnsFixtures
{
    public sealed record Fixture(string Name, string Label, string Base64)
    {
        public byte[] Bytes => Convert.FromBase64String(Base64);

        public override string ToString() => Label.Length == 0 ? Name : Label;
    }

    public static readonly Fixture[] All =
    [
        new("12D3KooWLQzUv2FHWGVPXTXSZpdHs7oHbXub2G5WC8Tx4NQhyd2d", "",
            "CkEvaXBmcy9iYWZrcmVpY3lzZzIza2l3djM0ZWcyZDdxd2VpcHh3b3NkbzJweTRsZHY0Mm5iYXVndWx1ZW41djZhbRJA2IgQ" +
            "oGd7EPzMCASntVtzQdYbxr272yYucqxVqwZyo2JSStAAaED7huXdEtsSHB34FFc7PXSm/fAboI53lS6KCRgAIhsyMTIzLTA0" +
            "LTEyVDEzOjQ0OjU5LjgwMTcyOFooADCAgIyjgODg5StCQPgfwocL0c3arWf/6b+bJgeel1Z+VUPF42Wt4Yclx3dEtTr698RR" +
            "S9sWwoMkmK/C0xGOc0za62MKsedjg/OFagNKlQGlY1RUTBsry4MABGMAAGVWYWx1ZVhBL2lwZnMvYmFma3JlaWN5c2cyM2tp" +
            "d3YzNGVnMmQ3cXdlaXB4d29zZG8ycHk0bGR2NDJuYmF1Z3VsdWVuNXY2YW1oU2VxdWVuY2UAaFZhbGlkaXR5WBsyMTIzLTA0" +
            "LTEyVDEzOjQ0OjU5LjgwMTcyOFpsVmFsaWRpdHlUeXBlAA=="),
        new("QmVujd5Vb7moysJj8itnGufN7MEtPRCNHkKpNuA4onsRa3", "",
            "CkEvaXBmcy9iYWZrcmVpY3lzZzIza2l3djM0ZWcyZDdxd2VpcHh3b3NkbzJweTRsZHY0Mm5iYXVndWx1ZW41djZhbRKAAi/8" +
            "eiJ0lnuC25mcKUJCVhzGoH5Ozopono7J3X5WkvexkpsufUrkHs0iyOdEkQF1cG990GHdhglu/kgLk5OStncH8uu8Q/4WBtep" +
            "iaAHBHbjJyeOwPFLSwatQcHb/I09TmyXD6wHFioaO/fDJUwlaNAz8IhZuXHNwEQaJ4AckpmwT12i3Z9uOEoKzDnJ94qt/nR1" +
            "6BphKmnbJTQjctmZpMsJKSXxB54j/xhEd0kwBwO7e7yuHxFuo+4ygMFWP/ZCKwFe4NBzolNapekP3XI4UlBsFLeuExjdv95t" +
            "/wCJGXqoLQ0gKoCJE80FGXVDLKtsxAU/TZ5ev7aIy3aEyB7dYGoYACIbMjEyMy0wNC0xMlQxMzo0Mzo1Ny4yMzgwMzhaKAAw" +
            "gICMo4Dg4OUrOqsCCAASpgIwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDZmqKKCK0zLK1+xUmjZIinmi6zQcyo" +
            "4vEOmskg/X3yjOnbB/3p6x6loMoQ/j8hiwbi0O6XbDdQIDmKw8vMNciFZ8uYYWNNjG/GtmvMJO8jKa8hg3VDcTXuTpmqzMds" +
            "+tWm1Z8Jt7inBlrOFO/o8VJvKaJlK36nc8dJE9mYvW32M+dzJDn8Lq48VLZVDVJ2WHohed3WKUeb/EqRVXqlsFcNTCZjRb0B" +
            "GmWqJ9SS/9eI0faOAeh9tV7hXC4PcPoB43s7MZcl5Oc6O40HHvKH3ALy85LlsoH2zFzdw0jfBdQAY6sZkonIeQ6kzZXyzdrv" +
            "L00Vgda5Op+Di8qFlYKjOJi/AgMBAAFCgAJ7bPKxC11qHYb5OTMS/ElGkMpseP9KkddF7t9APyudq0QC9LEIfP6uTxssAR9S" +
            "8DcpjJ+Ch+U4eTAr25tEJWvFWRfbqctzL5avjYy40SG3JC4+oGwM1AP+Ob7jIwm9gEqXQIalVWlQuOc4Bl6aZ+KfrZsGyh3a" +
            "qBYUemBxLYjmVRNp2vMJLmE4PMYfuZG9JoT0SoFT3GIWPw6Y3qP1IMyTP597KzZCJFWSmTphQPmEa2hG1pS9ntoU3O+FVup0" +
            "xF8AoccsGNpVJDBcY0M/6vQWCpufbt4Z26HpZ9gvA7zjmfocB7GhNJo/eYTnC/WeEt9fgoXyPrnqFyiV1fLiAhA6SpUBpWNU" +
            "VEwbK8uDAARjAABlVmFsdWVYQS9pcGZzL2JhZmtyZWljeXNnMjNraXd2MzRlZzJkN3F3ZWlweHdvc2RvMnB5NGxkdjQybmJh" +
            "dWd1bHVlbjV2NmFtaFNlcXVlbmNlAGhWYWxpZGl0eVgbMjEyMy0wNC0xMlQxMzo0Mzo1Ny4yMzgwMzhabFZhbGlkaXR5VHlw" +
            "ZQA="),
        new("k51qzi5uqu5dgh7y9l90nqs6tvnzcm9erbt8fhzg3fu79p5qt9zb2izvfu51ki", "",
            "CiwvaXBmcy9iYWZ5YWFleWtjZWVhZWVxbG5ic3d5M2RwbzV4eGUzZGViaW1hdxJAaD1YWvF6JDwbAT5pAxEi4nlJ1D7Jr6T+" +
            "TpY4fMr/sSbbYwU0QERE7uBp/ESFDOgaqx5v8b9QaVQJXQDG39h2AhgAIhsyMTIzLTAzLTE3VDEyOjQ0OjUwLjgwMTI1N1oo" +
            "ATCAsJ3C3wFCQIqLJ+5UFw6stMAjd5AxNL0iRyaFrvW+DE2mMsYETq3pAdfZn/n2iVugLpNFtYtWDjgQl33g58OZsFCKH8bP" +
            "XwBKgAGlY1RUTBsAAAAN+EdYAGVWYWx1ZVgsL2lwZnMvYmFmeWFhZXlrY2VlYWVlcWxuYnN3eTNkcG81eHhlM2RlYmltYXdo" +
            "U2VxdWVuY2UBaFZhbGlkaXR5WBsyMTIzLTAzLTE3VDEyOjQ0OjUwLjgwMTI1N1psVmFsaWRpdHlUeXBlAA=="),
        new("k51qzi5uqu5dghjous0agrwavl8vzl64xckoqzwqeqwudfr74kfd11zcyk3b7l", "",
            "CkEvaXBmcy9iYWZ5cmVpYnM0dXRwZ2JuN3VxZWdtZDJnb3F6NGJreWZscmUyZWsyaXd2NzQzZmh2eWx3aTR6ZWVpbRJAfQWF" +
            "Kem979SaxJ0ih7L/C+GPoVBqPJYojlKC7STmhXEjR8oQbEJ0iV2xvR4rKRU9GTzbx/Pt5T71/quRNSb5CRgAIhsyMTIzLTA0" +
            "LTEzVDA4OjA5OjUxLjg5MTM5NlooADCAgIyjgODg5StCQLwxiFuWb+QYZvPinISZ4Tc96fHyOW6Sfi4cL6DRjoRGDhMz9YiG" +
            "yI/BM+gKsD/0Vm/WMJ6DIUNKyP89jozCOgBKlQGlY1RUTBsry4MABGMAAGVWYWx1ZVhBL2lwZnMvYmFmeXJlaWJzNHV0cGdi" +
            "bjd1cWVnbWQyZ29xejRia3lmbHJlMmVrMml3djc0M2Zodnlsd2k0emVlaW1oU2VxdWVuY2UAaFZhbGlkaXR5WBsyMTIzLTA0" +
            "LTEzVDA4OjA5OjUxLjg5MTM5NlpsVmFsaWRpdHlUeXBlAA=="),
        new("k51qzi5uqu5dh71qgwangrt6r0nd4094i88nsady6qgd1dhjcyfsaqmpp143ab", "",
            "CkEvaXBmcy9iYWZrcmVpZGZkcmxrZXE0bTR4bnh1eXg2aWFlNzZmZG00d2dsNWQ0eHpzYjc3aXhoeXF3dW1oejI0NBJA+jsj" +
            "240mil+cIaT44xJcPXQpskyCLYQ+wWMw7/yxaWhG+NkrEpFvdCvZzbde+J40c27FtIgQvBMFtmZxrqMPARgAIhoyMTIzLTA0" +
            "LTEyVDEzOjM2OjU4LjIzNzI3WigAMICAjKOA4ODlK0JArreTz8DvF2tahgf9naS2/XeWdtLpqoPjGM0aA6onMobmb/vgtu0O" +
            "dscaKiTcLfVLdgrqe/ZfXSiQltHH17b5DkqUAaVjVFRMGyvLgwAEYwAAZVZhbHVlWEEvaXBmcy9iYWZrcmVpZGZkcmxrZXE0" +
            "bTR4bnh1eXg2aWFlNzZmZG00d2dsNWQ0eHpzYjc3aXhoeXF3dW1oejI0NGhTZXF1ZW5jZQBoVmFsaWRpdHlYGjIxMjMtMDQt" +
            "MTJUMTM6MzY6NTguMjM3MjdabFZhbGlkaXR5VHlwZQA="),
        new("k51qzi5uqu5dhjghbwdvbo6mi40htrq6e2z4pwgp15pgv3ho1azvidttzh8yy2", "",
            "CkMvaXBmcy9iYWd1cWVlcmFtNXVqanFyd2hleWF0eTN3NWdkc21vejZ2aXR0Y2h2aGs3MjNqanF4azdoYWt4a2Q0N3hxEkAj" +
            "hrEmTCjfUjyfGWImrcASzXVOKv0zaSzKvCBUCUmtRnrlNtSKY3ppyq1PsL03ne/6qz9+m49WRl5KOgteGe4GGAAiGzIxMjMt" +
            "MDQtMTNUMDg6MDk6MjEuMTU5NzQ0WigAMICAjKOA4ODlK0JA6/ODf4/fCwpsXuAiC9NYmFAMkHN5Lm3x2kDfiPd4ypIZK/uD" +
            "WEwNGHRAKBgMj5QlURfn865cNHQ8LUpO20bgDkqXAaVjVFRMGyvLgwAEYwAAZVZhbHVlWEMvaXBmcy9iYWd1cWVlcmFtNXVq" +
            "anFyd2hleWF0eTN3NWdkc21vejZ2aXR0Y2h2aGs3MjNqanF4azdoYWt4a2Q0N3hxaFNlcXVlbmNlAGhWYWxpZGl0eVgbMjEy" +
            "My0wNC0xM1QwODowOToyMS4xNTk3NDRabFZhbGlkaXR5VHlwZQA="),
        new("k51qzi5uqu5diamp7qnnvs1p1gzmku3eijkeijs3418j23j077zrkok63xdm8c", "v1-v2-broken-signature-v2",
            "Cj4vaXBmcy9iYWZrcWFodHdnZXZ4bW1yYW81dXhpMmJhbWp6ZzYyM2ZueXFoZzJsaG56cXhpNWxzbXVxaG1tcRJAjeL4ntt0" +
            "Kd9X5BfMb++Z7bEZ+L8j7WOJaj+QQiozOFuYgAqzqC9w2nBK2vbqHnAfH+NP9Q/Ileo6ZHXiHEGeARgAIhsyMTIzLTA4LTE0" +
            "VDEyOjE3OjAzLjY5NDA1MlooADCAoPHCsTRCDWludmFsaWQgc3R1ZmZKkgGlY1RUTBsAAAGjGFxQAGVWYWx1ZVg+L2lwZnMv" +
            "YmFma3FhaHR3Z2V2eG1tcmFvNXV4aTJiYW1qemc2MjNmbnlxaGcybGhuenF4aTVsc211cWhtbXFoU2VxdWVuY2UAaFZhbGlk" +
            "aXR5WBsyMTIzLTA4LTE0VDEyOjE3OjAzLjY5NDA1MlpsVmFsaWRpdHlUeXBlAA=="),
        new("k51qzi5uqu5dilgf7gorsh9vcqqq4myo6jd4zmqkuy9pxyxi5fua3uf7axph4y", "v1-v2-broken-signature-v1",
            "Cj4vaXBmcy9iYWZrcWFodHdnZXZ4bW1yYW81dXhpMmJhbWp6ZzYyM2ZueXFoZzJsaG56cXhpNWxzbXVxaG1taRINaW52YWxp" +
            "ZCBzdHVmZhgAIhsyMTIzLTA4LTE0VDEyOjE3OjAzLjY5NDA1MlooADCAoPHCsTRCQDLFjmqubpaOcNifMaGgsU4Y4TI9ntYa" +
            "yJtdlEdheA53tItrCas+sbT2FGBrVVN7WKWsZ0MoMtVkmY2EfQcctQdKkgGlY1RUTBsAAAGjGFxQAGVWYWx1ZVg+L2lwZnMv" +
            "YmFma3FhaHR3Z2V2eG1tcmFvNXV4aTJiYW1qemc2MjNmbnlxaGcybGhuenF4aTVsc211cWhtbWloU2VxdWVuY2UAaFZhbGlk" +
            "aXR5WBsyMTIzLTA4LTE0VDEyOjE3OjAzLjY5NDA1MlpsVmFsaWRpdHlUeXBlAA=="),
        new("k51qzi5uqu5dit2ku9mutlfgwyz8u730on38kd10m97m36bjt66my99hb6103f", "v2",
            "QkBqdphYXisXBwnUlH4UixixINdttDUV7azykN+Wtx4pwMpaFlECVoFPglVTLsRUmt4m9MqDNfTEHiz//rG6CqUBSnilY1RU" +
            "TBsAAAGjGFxQAGVWYWx1ZVgkL2lwZnMvYmFma3FhZHR3Z2l3dzYzdG1wZXFoZXpsZG41emdpaFNlcXVlbmNlAGhWYWxpZGl0" +
            "eVgbMjEyMy0wOC0xNFQxMjoxNzowMy42OTQwNTJabFZhbGlkaXR5VHlwZQA="),
        new("k51qzi5uqu5djokp3m1keo36hoxtd6u3a1d2rg1camf6al7p3huy63dojlm57c", "",
            "CkcvaXBmcy9iYWZ5YmVpYjNmZmwydGVpcWRuY3YzbWt6NHIyM2I1Y3Ryd2t6cnJoY3RkYm5lNmlib2F5eHV4azV1aS9yb290" +
            "MhJAUWlXZKXILWANhX4hju/uGiulOhp/QgBhi00feWvusnZesax8Kq+XTa2z7QLsCoOrnYLQvaCLkRu0Y8Un+LziDxgAIh4y" +
            "MTI2LTAxLTMxVDE1OjU2OjEyLjcxNDg5OTI5M1ooADCAoPHCsTRCQFuDqKdUJiAjg0B01on5Y1aVICELa9ilqYRK7j1JTCM4" +
            "Lrz/qTBooY2hGqUBk/307ogz4F/o5c4BRo3qVB2W+gxKngGlY1RUTBsAAAGjGFxQAGVWYWx1ZVhHL2lwZnMvYmFmeWJlaWIz" +
            "ZmZsMnRlaXFkbmN2M21rejRyMjNiNWN0cndrenJyaGN0ZGJuZTZpYm9heXh1eGs1dWkvcm9vdDJoU2VxdWVuY2UAaFZhbGlk" +
            "aXR5WB4yMTI2LTAxLTMxVDE1OjU2OjEyLjcxNDg5OTI5M1psVmFsaWRpdHlUeXBlAA=="),
        new("k51qzi5uqu5dlkw8pxuw9qmqayfdeh4kfebhmreauqdc6a7c3y7d5i9fi8mk9w", "v1-v2",
            "CiEvaXBmcy9iYWZrcWFkZHdnZXZ4bW1yYW9qc3dnMzNzbXESQKVBIW5AlouMwTkDk422cy5V72gCzuZl1kXeBsRUqu/PBlR1" +
            "C8hOm0ElCzXk1B2lOcWlQn/DDgjclKS9yoAD+A4YACIbMjEyMy0wOC0xNFQxMjoxNzowMy42OTQwNTJaKAAwgKDxwrE0QkBK" +
            "UbhkQ4lL69MhRgLsLDYnDkzQUIpmbfo1VmDE+ouikK595E12q1LEc585fnFBl05qQaA5gBJgz9PAWwBqSiUNSnWlY1RUTBsA" +
            "AAGjGFxQAGVWYWx1ZVghL2lwZnMvYmFma3FhZGR3Z2V2eG1tcmFvanN3ZzMzc21xaFNlcXVlbmNlAGhWYWxpZGl0eVgbMjEy" +
            "My0wOC0xNFQxMjoxNzowMy42OTQwNTJabFZhbGlkaXR5VHlwZQA="),
        new("k51qzi5uqu5dlmit2tuwdvnx4sbnyqgmvbxftl0eo3f33wwtb9gr7yozae9kpw", "v1-v2-broken-v1-value",
            "CjYvaXBmcy9iYWZrcWFnbHVtdnp4aTJsb200cWdleWxlZWJ1eGEzdHRlYnpna3kzcG9qc2hnY3ESQE5taz3vFU7cTf9hDAOA" +
            "pkMyWDc4w1nSfrC4qITpk9sInaYHbzEPiZUkcB2oWaNN5KvylXYVmxJC2vcUQyF5Zg4YACIbMjEyMy0wOC0xNFQxMjoxNzow" +
            "My42OTQwNTJaKAAwgKDxwrE0QkBKnsu1f2ZA7v+BSXyxrVDYn0fn5RYCVmO+9gRgL4a26b88KvjUOkq6ZawaGybWDcL4UWMF" +
            "XkfyBtZWBnt9G7cESpIBpWNUVEwbAAABoxhcUABlVmFsdWVYPi9pcGZzL2JhZmtxYWh0d2dldnhtbXJhb2pzd2czM3NtcXFo" +
            "bzJsdW5hcWdlNHRwbm5zdzRpZHdtZndoa3ppaFNlcXVlbmNlAGhWYWxpZGl0eVgbMjEyMy0wOC0xNFQxMjoxNzowMy42OTQw" +
            "NTJabFZhbGlkaXR5VHlwZQA="),
        new("k51qzi5uqu5dlxdsdu5fpuu7h69wu4ohp32iwm9pdt9nq3y5rpn3ln9j12zfhe", "",
            "CkEvaXBmcy9iYWZ5YmVpYjNmZmwydGVpcWRuY3YzbWt6NHIyM2I1Y3Ryd2t6cnJoY3RkYm5lNmlib2F5eHV4azV1aRJAsgY/" +
            "N8KTlLLz2qbMjwb4RyB2E198ggWstk4C6b0miE/l2qML38c/Tb9Aaq02ySOh4vqQkjbhdWjDlPoiW4MoBxgAIhsyMTIzLTA0" +
            "LTEyVDE1OjMyOjIyLjY0NjE0NFooADCAgIyjgODg5StCQFpEtLeki5qU9Eob+2kuMcA23QBwu2BoosNmHsDyQCHRGPR8pxoK" +
            "inuNw6BgxGz3Lef5fPF/oQGePT65K07HhwlKlQGlY1RUTBsry4MABGMAAGVWYWx1ZVhBL2lwZnMvYmFmeWJlaWIzZmZsMnRl" +
            "aXFkbmN2M21rejRyMjNiNWN0cndrenJyaGN0ZGJuZTZpYm9heXh1eGs1dWloU2VxdWVuY2UAaFZhbGlkaXR5WBsyMTIzLTA0" +
            "LTEyVDE1OjMyOjIyLjY0NjE0NFpsVmFsaWRpdHlUeXBlAA=="),
        new("k51qzi5uqu5dm4tm0wt8srkg9h9suud4wuiwjimndrkydqm81cqtlb5ak6p7ku", "v1",
            "CiQvaXBmcy9iYWZrcWFkdHdnZXd3NjN0bXBlcWhlemxkbjV6Z2kSQEedeyjkXQBKsjSpBHyB4WYPVA08/XHiF0otM9qhLtis" +
            "JiyMfGugifOkdR/TsGt758s6VBgUerTul2quBszrWAcYACIbMjEyMy0wOC0xNFQxMjoxNzowMy42OTQwNTJaKAAwgKDxwrE0"),
    ];

    public static Fixture Get(string label) => All.Single(f => f.Label == label);
}
