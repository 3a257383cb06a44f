package io.jlvs.config;

import io.jlvs.scheduler.Schedulers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each broken keepalived.conf sample stops the read with file:line:column, what was expected and what was found. */
class BrokenSamplesTest
{
    @BeforeAll
    static void schedulers()
    {
        Fixtures.registerSchedulers("rr", "wrr", "wlc");
    }

    @Test
    void blockLeftOpenNamesItsOpeningBraceAtEndOfFile()
    {
        final String file = file("unclosed-block.conf");
        assertEquals(file + ":11:2: expected '}' to close the virtual_server block opened at " + file + ":1:34, " +
            "found end of file", message("unclosed-block.conf"));
    }

    @Test
    void braceClosingNoBlockIsAnError()
    {
        assertEquals(file("stray-brace.conf") + ":9:1: expected a keyword, found '}' that closes no block",
            message("stray-brace.conf"));
    }

    @Test
    void natIsRefusedAsNotSupported()
    {
        assertEquals(file("nat.conf") + ":3:13: lb_kind NAT is not supported by jlvs (DR and TUN only)",
            message("nat.conf"));
    }

    @Test
    void serviceWithoutLbKindIsRefusedBecauseKeepalivedWouldUseNat()
    {
        assertEquals(file("no-lb-kind.conf") + ":1:1: expected lb_kind DR or lb_kind TUN in virtual_server " +
            "192.168.10.100 80, found none (keepalived would use NAT, which jlvs does not support)",
            message("no-lb-kind.conf"));
    }

    @Test
    void portThatIsNotANumberIsAnError()
    {
        assertEquals(file("bad-port.conf") + ":5:31: expected a port 0..65535, found 'http'",
            message("bad-port.conf"));
    }

    @Test
    void addressWithAnOctetAbove255IsAnError()
    {
        assertEquals(file("bad-address.conf") + ":1:16: expected an IPv4 address, found '192.168.10.300'",
            message("bad-address.conf"));
    }

    @Test
    void unknownSchedulerListsTheKnownOnes()
    {
        assertEquals(file("unknown-scheduler.conf") + ":2:13: expected a scheduler (one of " +
            String.join(", ", Schedulers.names()) + "), found 'no-such-scheduler'",
            message("unknown-scheduler.conf"));
    }

    @Test
    void negativeWeightIsAnError()
    {
        assertEquals(file("bad-weight.conf") + ":6:16: expected a weight 0..65535, found '-1'",
            message("bad-weight.conf"));
    }

    @Test
    void keywordWithoutItsValuePointsAtTheEndOfTheLine()
    {
        assertEquals(file("missing-value.conf") + ":2:15: expected a delay loop after 'delay_loop', found end of " +
            "line", message("missing-value.conf"));
    }

    @Test
    void sameVipPortAndProtocolTwiceIsAnError()
    {
        final String file = file("duplicate-service.conf");
        assertEquals(file + ":10:1: expected each VIP:port once per protocol, found 192.168.10.100:80 TCP again " +
            "(first at " + file + ":1:1)", message("duplicate-service.conf"));
    }

    @Test
    void sameRealServerTwiceInOneServiceIsAnError()
    {
        final String file = file("duplicate-real-server.conf");
        assertEquals(file + ":11:5: expected each real_server once per virtual_server, found 192.168.10.11:80 " +
            "again (first at " + file + ":5:5)", message("duplicate-real-server.conf"));
    }

    @Test
    void fwmarkServiceWithoutJlvsMatchSaysWhatToAdd()
    {
        assertEquals(file("fwmark-without-match.conf") + ":1:1: expected jlvs_match VIP:PORT ... in " +
            "virtual_server fwmark 1, found none: jlvs does not see netfilter marks, so list the addresses your " +
            "iptables MARK rules select", message("fwmark-without-match.conf"));
    }

    @Test
    void unterminatedQuoteIsAnErrorOnlyWhereTheValueIsUsed()
    {
        // The one in vrrp_instance (line 3) is in a section jlvs skips; the one in notify_up is read.
        assertEquals(file("unterminated-quote.conf") + ":12:41: expected a closing quote, found end of line",
            message("unterminated-quote.conf"));
    }

    @Test
    void includeCycleIsAnError()
    {
        final String dir = Fixtures.path("broken/include-cycle/keepalived.conf").getParent().toString();
        assertEquals(dir + "/services.conf:9:9: expected no include cycle, found " + dir + "/keepalived.conf " +
            "included again while it is read", message("include-cycle/keepalived.conf"));
    }

    private static String file(final String name)
    {
        return Fixtures.path("broken/" + name).toString();
    }

    private static String message(final String name)
    {
        return assertThrows(ConfigException.class, () -> Fixtures.parse("broken/" + name)).getMessage();
    }
}
