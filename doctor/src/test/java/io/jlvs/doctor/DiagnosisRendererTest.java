package io.jlvs.doctor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DiagnosisRendererTest
{
    private static final Diagnosis MIXED = new Diagnosis(Role.REAL_SERVER, List.of(
        Finding.ok("vip-on-lo", "198.18.0.100 is on lo as /32"),
        Finding.fail("arp-ignore", "arp_ignore is 0 on eth0", "sysctl -w net.ipv4.conf.all.arp_ignore=1"),
        Finding.warn("firewall", "nft inet filter output: oifname \"eth0\" drop\tis odd \\ here", "")));

    @Test
    void textIsOneLinePerFindingWithItsFixThenTheCounts()
    {
        assertEquals(String.join("\n",
            "OK   vip-on-lo  198.18.0.100 is on lo as /32",
            "FAIL arp-ignore arp_ignore is 0 on eth0 | fix: sysctl -w net.ipv4.conf.all.arp_ignore=1",
            "WARN firewall   nft inet filter output: oifname \"eth0\" drop\tis odd \\ here",
            "1 FAIL, 1 WARN, 1 OK",
            ""), DiagnosisRenderer.text(MIXED));
    }

    @Test
    void jsonHasRoleExitCodeCountsAndEscapedFindings()
    {
        assertEquals(String.join("\n",
            "{",
            "  \"role\": \"real-server\",",
            "  \"exitCode\": 1,",
            "  \"counts\": {\"OK\": 1, \"WARN\": 1, \"FAIL\": 1},",
            "  \"findings\": [",
            "    {\"check\": \"vip-on-lo\", \"severity\": \"OK\", \"message\": \"198.18.0.100 is on lo as /32\", " +
                "\"fix\": \"\"},",
            "    {\"check\": \"arp-ignore\", \"severity\": \"FAIL\", \"message\": \"arp_ignore is 0 on eth0\", " +
                "\"fix\": \"sysctl -w net.ipv4.conf.all.arp_ignore=1\"},",
            "    {\"check\": \"firewall\", \"severity\": \"WARN\", \"message\": \"nft inet filter output: oifname " +
                "\\\"eth0\\\" drop\\tis odd \\\\ here\", \"fix\": \"\"}",
            "  ]",
            "}",
            ""), DiagnosisRenderer.json(MIXED));
    }

    @Test
    void jsonOfNoFindingsIsAnEmptyArrayAndExitCodeZero()
    {
        assertEquals(String.join("\n",
            "{",
            "  \"role\": \"director\",",
            "  \"exitCode\": 0,",
            "  \"counts\": {\"OK\": 0, \"WARN\": 0, \"FAIL\": 0},",
            "  \"findings\": []",
            "}",
            ""), DiagnosisRenderer.json(new Diagnosis(Role.DIRECTOR, List.of())));
    }

    @Test
    void controlCharactersAreEscapedAsUnicode()
    {
        assertEquals("\"a\\u0001b\\u001f\"", DiagnosisRenderer.quote("a\u0001b\u001f"));
    }

    @Test
    void exitCodeIsNonZeroOnlyWhenSomethingFailed()
    {
        assertEquals(Diagnosis.EXIT_FAIL, MIXED.exitCode());
        assertEquals(Diagnosis.EXIT_OK, new Diagnosis(Role.DIRECTOR, List.of(
            Finding.ok("mtu", "fine"), Finding.warn("ip-forward", "ip_forward is 1", "sysctl -w x=0"))).exitCode());
    }

    @Test
    void aFindingIsOneLine()
    {
        assertThrows(IllegalArgumentException.class, () -> Finding.ok("x", "two\nlines"));
    }
}
