package io.jlvs.doctor.firewall;

import io.jlvs.scheduler.Ipv4;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NftRulesetTest
{
    private static final int VIP = Ipv4.parse("198.18.0.100");

    private static final String RULESET = String.join("\n",
        "table inet filter { # handle 1",
        "\tset blocked { # handle 3",
        "\t\ttype ipv4_addr",
        "\t\tflags interval",
        "\t\telements = { 198.18.0.50, 198.18.1.0/24,",
        "\t\t\t     198.18.2.1-198.18.2.9, 198.18.0.100 }",
        "\t}",
        "",
        "\tchain output { # handle 2",
        "\t\ttype filter hook output priority filter; policy drop;",
        "\t\tct state established,related accept # handle 5",
        "\t\tip saddr @blocked counter packets 0 bytes 0 reject with icmp port-unreachable # handle 6",
        "\t\tip saddr != { 198.18.0.5, 198.18.0.6 } oifname \"eth*\" drop # handle 7",
        "\t\tip6 saddr ::1 drop # handle 8",
        "\t\tlog prefix \"drop \" jump audit # handle 9",
        "\t}",
        "\tchain audit { # handle 4",
        "\t\tip daddr 198.18.0.0/24 accept # handle 10",
        "\t}",
        "}",
        "table ip6 filter6 { # handle 2",
        "\tchain output { # handle 1",
        "\t\ttype filter hook output priority filter; policy drop;",
        "\t}",
        "}",
        "# Warning: table ip filter is managed by iptables-nft, do not touch!",
        "table ip filter { # handle 3",
        "\tchain OUTPUT { # handle 1",
        "\t\ttype filter hook output priority filter; policy accept;",
        "\t\tip saddr 198.18.0.100 counter packets 0 bytes 0 drop # handle 2",
        "\t}",
        "}",
        "table netdev jlvs { # handle 4",
        "\tchain ingress { # handle 1",
        "\t\ttype filter hook ingress device \"eth0\" priority -500; policy accept;",
        "\t\tip daddr 198.18.0.100 drop # handle 2",
        "\t}",
        "}",
        "");

    @Test
    void readsBaseChainsWithHookDevicePolicyAndSkipsIp6AndIptablesNftTables()
    {
        final Firewall firewall = NftRuleset.parse(RULESET);

        assertEquals(List.of(
            new FirewallChain("nft", "inet filter", "output", Hook.OUTPUT, "", Verdict.DROP),
            new FirewallChain("nft", "inet filter", "audit", Hook.NONE, "", Verdict.ACCEPT),
            new FirewallChain("nft", "netdev jlvs", "ingress", Hook.INGRESS, "eth0", Verdict.ACCEPT)),
            firewall.chains());
        // the ip6 rule and the iptables-nft table are left out
        assertEquals(6, firewall.rules().size(), firewall.rules().toString());
    }

    @Test
    void resolvesANamedSetPrintedOverSeveralLines()
    {
        final FirewallRule reject = NftRuleset.parse(RULESET).rules().get(1);

        assertEquals(Verdict.REJECT, reject.verdict());
        assertTrue(reject.source().covers(VIP));
        assertTrue(reject.source().covers(Ipv4.parse("198.18.1.77")));
        assertTrue(reject.source().covers(Ipv4.parse("198.18.2.9")));
        assertFalse(reject.source().covers(Ipv4.parse("198.18.2.10")));
        assertEquals("nft delete rule inet filter output handle 6", reject.deleteCommand());
    }

    @Test
    void readsNegatedAnonymousSetsInterfacesEstablishedAndJumps()
    {
        final List<FirewallRule> rules = NftRuleset.parse(RULESET).rules();

        assertTrue(rules.get(0).establishedOnly());
        assertEquals(Verdict.ACCEPT, rules.get(0).verdict());
        final FirewallRule negated = rules.get(2);
        assertTrue(negated.source().covers(VIP));
        assertFalse(negated.source().covers(Ipv4.parse("198.18.0.6")));
        assertTrue(negated.outputMayBe("eth0"));
        assertFalse(negated.outputMayBe("lo"));
        assertEquals(Verdict.OTHER, rules.get(3).verdict());
        assertEquals(Hook.NONE, rules.get(4).chain().hook());
    }

    @Test
    void ruleWithoutAnAddressMatchHasNone()
    {
        final FirewallRule accept = NftRuleset.parse(RULESET).rules().get(0);

        assertNull(accept.source());
        assertNull(accept.destination());
        assertTrue(accept.sourceMayBe(VIP));
    }

    @Test
    void withoutHandlesThereIsNoDeleteCommand()
    {
        final Firewall firewall = NftRuleset.parse(RULESET.replaceAll(" # handle \\d+", ""));

        assertEquals(6, firewall.rules().size());
        assertEquals("", firewall.rules().get(1).deleteCommand());
        assertTrue(firewall.rules().get(1).source().covers(VIP));
    }

    @Test
    void emptyRulesetHasNothing()
    {
        final Firewall firewall = NftRuleset.parse("");

        assertTrue(firewall.chains().isEmpty());
        assertTrue(firewall.rules().isEmpty());
    }
}
