using System.Globalization;

namespace Dione.Kademlia.Records;

/// <summary>
/// An instant with nanosecond precision in the RFC 3339 form Go's <c>time.RFC3339Nano</c> writes
/// (<c>2123-08-14T12:17:03.694052Z</c>), as IPNS validity and DHT <c>timeReceived</c> carry it.
/// </summary>
internal readonly record struct Rfc3339Timestamp(long UnixSeconds, int Nanoseconds) : IComparable<Rfc3339Timestamp>
{
    private const int NanosecondsPerTick = 100;
    private const int MaxTextLength = 64;

    public static Rfc3339Timestamp FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTime.UnixEpoch.Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }
        return new Rfc3339Timestamp(seconds, (int)remainder * NanosecondsPerTick);
    }

    /// <summary>The instant, truncated to the 100 ns resolution of <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.UnixEpoch.AddSeconds(UnixSeconds).AddTicks(Nanoseconds / NanosecondsPerTick);

    public int CompareTo(Rfc3339Timestamp other)
    {
        var bySeconds = UnixSeconds.CompareTo(other.UnixSeconds);
        return bySeconds != 0 ? bySeconds : Nanoseconds.CompareTo(other.Nanoseconds);
    }

    public static bool operator <(Rfc3339Timestamp left, Rfc3339Timestamp right) => left.CompareTo(right) < 0;

    public static bool operator >(Rfc3339Timestamp left, Rfc3339Timestamp right) => left.CompareTo(right) > 0;

    public static bool operator <=(Rfc3339Timestamp left, Rfc3339Timestamp right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Rfc3339Timestamp left, Rfc3339Timestamp right) => left.CompareTo(right) >= 0;

    /// <summary>The UTC form with trailing zeros of the fraction dropped, as Go formats <c>time.RFC3339Nano</c>.</summary>
    public override string ToString()
    {
        var time = DateTimeOffset.UnixEpoch.AddSeconds(UnixSeconds);
        var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (Nanoseconds != 0)
        {
            text += "." + Nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        }
        return text + "Z";
    }

    /// <summary>
    /// Parses <c>YYYY-MM-DDTHH:MM:SS[.1-9 digits](Z|+HH:MM|-HH:MM)</c> in ASCII, years 0001 to 9999.
    /// </summary>
    /// <exception cref="FormatException">anything else, including out-of-range fields and leap seconds.</exception>
    public static Rfc3339Timestamp Parse(ReadOnlySpan<byte> ascii)
    {
        if (ascii.Length > MaxTextLength)
        {
            throw new FormatException("timestamp too long");
        }
        var reader = new Cursor(ascii);
        var year = reader.Digits(4);
        reader.Expect((byte)'-');
        var month = reader.Digits(2);
        reader.Expect((byte)'-');
        var day = reader.Digits(2);
        reader.Expect((byte)'T');
        var hour = reader.Digits(2);
        reader.Expect((byte)':');
        var minute = reader.Digits(2);
        reader.Expect((byte)':');
        var second = reader.Digits(2);
        var nanoseconds = 0;
        if (reader.TryTake((byte)'.'))
        {
            var digits = 0;
            while (reader.PeekDigit())
            {
                if (++digits > 9)
                {
                    throw new FormatException("timestamp fraction has more than 9 digits");
                }
                nanoseconds = (nanoseconds * 10) + reader.Digits(1);
            }
            if (digits == 0)
            {
                throw new FormatException("timestamp fraction has no digits");
            }
            for (var i = digits; i < 9; i++)
            {
                nanoseconds *= 10;
            }
        }
        var offsetSeconds = 0;
        if (!reader.TryTake((byte)'Z'))
        {
            var sign = reader.TryTake((byte)'+') ? 1 : reader.TryTake((byte)'-') ? -1 : 0;
            if (sign == 0)
            {
                throw new FormatException("timestamp lacks a time zone");
            }
            var offsetHours = reader.Digits(2);
            reader.Expect((byte)':');
            var offsetMinutes = reader.Digits(2);
            if (offsetHours > 23 || offsetMinutes > 59)
            {
                throw new FormatException("timestamp time zone out of range");
            }
            offsetSeconds = sign * ((offsetHours * 3600) + (offsetMinutes * 60));
        }
        if (!reader.AtEnd)
        {
            throw new FormatException("trailing characters after timestamp");
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            throw new FormatException("timestamp field out of range");
        }
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        var unixSeconds = ((local.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond) - offsetSeconds;
        return new Rfc3339Timestamp(unixSeconds, nanoseconds);
    }

    private ref struct Cursor(ReadOnlySpan<byte> text)
    {
        private readonly ReadOnlySpan<byte> _text = text;
        private int _position;

        public readonly bool AtEnd => _position == _text.Length;

        public readonly bool PeekDigit() => _position < _text.Length && char.IsAsciiDigit((char)_text[_position]);

        public int Digits(int count)
        {
            var value = 0;
            for (var i = 0; i < count; i++)
            {
                if (!PeekDigit())
                {
                    throw new FormatException("timestamp digit expected");
                }
                value = (value * 10) + (_text[_position++] - '0');
            }
            return value;
        }

        public void Expect(byte expected)
        {
            if (!TryTake(expected))
            {
                throw new FormatException($"timestamp '{(char)expected}' expected");
            }
        }

        public bool TryTake(byte expected)
        {
            if (_position < _text.Length && _text[_position] == expected)
            {
                _position++;
                return true;
            }
            return false;
        }
    }
}
