package io.jlvs.bench.harness;

import io.jlvs.lab.Lab;
import io.jlvs.lab.LabAddresses;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The nftables rules of the harness, all at the netdev ingress hook, where a frame is handled before the IP stack
 * sees it: the kernel baseline in the director namespace, which does what DR does (rewrite the destination MAC to a
 * real server's, the source MAC to the director's, and send the frame back out of the same interface), and the
 * sink on each real server, which drops the benchmark's frames once the interface counted them, so that the real
 * servers' stacks do not spend the shared cores on packets nobody answers.
 */
final class NftRules
{
    /** Every table the harness makes has this name; deleting it removes the harness's rules and nothing else. */
    static final String TABLE = "jlvs_bench";
    /** Where nft lives when PATH (sudo's, a service's) leaves out the sbin directories. */
    private static final List<String> NFT_FALLBACKS = List.of("/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft");
    /** The hook's priority: only the harness's chain sits there, any value works. */
    private static final int PRIORITY = 0;

    private NftRules()
    {
    }

    /** The absolute path of {@code nft}, or null when it is not installed. */
    static String nftCommand()
    {
        final List<String> candidates = new ArrayList<>();
        final String path = System.getenv("PATH");
        if (path != null)
        {
            for (final String dir : path.split(":"))
            {
                if (!dir.isEmpty())
                {
                    candidates.add(dir + "/nft");
                }
            }
        }
        candidates.addAll(NFT_FALLBACKS);
        for (final String candidate : candidates)
        {
            final Path file = Path.of(candidate);
            if (Files.isRegularFile(file) && Files.isExecutable(file))
            {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The kernel baseline's ruleset: frames to the VIP's bench port get the director's MAC as source and a real
     * server's as destination, picked by a hash of the source address and port (so a flow stays on one server, as
     * with a connection table, without one), and leave through the interface they came in on.
     */
    static String directRouting(
        final String interfaceName, final int vip, final int port, final long directorMac, final long[] serverMacs)
    {
        final StringBuilder map = new StringBuilder();
        for (int i = 0; i < serverMacs.length; i++)
        {
            map.append(i == 0 ? "" : ", ").append(i).append(" : ").append(LabAddresses.formatMac(serverMacs[i]));
        }
        return table("dr", interfaceName,
            match(vip, port) + " ether saddr set " + LabAddresses.formatMac(directorMac) +
            " ether daddr set jhash ip saddr . th sport mod " + serverMacs.length + " map { " + map + " }" +
            " fwd to \"" + interfaceName + "\"");
    }

    /** The real servers' ruleset: drop the bench's frames to the VIP (the interface has counted them already). */
    static String sink(final String interfaceName, final int vip, final int port)
    {
        return table("sink", interfaceName, match(vip, port) + " drop");
    }

    /** Loads {@code ruleset} in {@code namespace}. */
    static void install(final Lab lab, final String namespace, final String ruleset) throws IOException
    {
        final Path file = Files.createTempFile("jlvs-bench-", ".nft");
        try
        {
            Files.writeString(file, ruleset, StandardCharsets.US_ASCII);
            lab.exec(namespace, requireNft(), "-f", file.toString());
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    /** Deletes the harness's table in {@code namespace}. */
    static void remove(final Lab lab, final String namespace) throws IOException
    {
        lab.exec(namespace, requireNft(), "delete", "table", "netdev", TABLE);
    }

    private static String requireNft() throws IOException
    {
        final String nft = nftCommand();
        if (nft == null)
        {
            throw new IOException("nft not found; the kernel baseline needs nftables (apt-get install nftables)");
        }
        return nft;
    }

    private static String match(final int vip, final int port)
    {
        return "ip daddr " + LabAddresses.formatIpv4(vip) + " meta l4proto { tcp, udp } th dport " + port;
    }

    private static String table(final String chain, final String interfaceName, final String rule)
    {
        return "table netdev " + TABLE + " {\n" +
            "  chain " + chain + " {\n" +
            "    type filter hook ingress device \"" + interfaceName + "\" priority " + PRIORITY +
            "; policy accept;\n" +
            "    " + rule + "\n" +
            "  }\n" +
            "}\n";
    }
}
