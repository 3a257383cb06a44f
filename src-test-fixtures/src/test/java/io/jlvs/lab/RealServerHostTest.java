package io.jlvs.lab;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RealServerHostTest
{
    @Test
    void downloadLengthIsADecimalNumberUpToTheBound()
    {
        assertEquals(0, RealServerHost.parseLength("0"));
        assertEquals(4_000_000, RealServerHost.parseLength("4000000"));
        assertEquals(RealServerHost.MAX_DOWNLOAD_BYTES,
            RealServerHost.parseLength(Integer.toString(RealServerHost.MAX_DOWNLOAD_BYTES)));
    }

    @Test
    void downloadLengthRefusesWhatIsNoLengthOrTooLong()
    {
        for (final String bad : new String[] {"", "-1", "+1", "1e6", "12ab", " 1", "0x10",
            Integer.toString(RealServerHost.MAX_DOWNLOAD_BYTES + 1), "99999999", "999999999999"})
        {
            assertEquals(-1, RealServerHost.parseLength(bad), bad);
        }
    }
}
