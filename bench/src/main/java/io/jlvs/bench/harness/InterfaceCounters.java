package io.jlvs.bench.harness;

import io.jlvs.lab.NetworkNamespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One interface's packet counters in one network namespace, read from {@code /proc/thread-self/net/dev} by the
 * calling thread after it entered the namespace.
 * <p>
 * Why not {@code /sys/class/net/IF/statistics}: sysfs shows the namespace of whoever mounted it, not of the reading
 * thread (that is why {@code ip netns exec} remounts it), so a thread that entered a lab namespace would read the
 * host's interface of that name. {@code /proc/thread-self/net} follows the thread. Reading it starts no process,
 * which also matters: a process spawned from a thread inside a namespace may start the JVM's reaper thread there,
 * and that thread would keep the namespace alive after the lab deletes it.
 */
final class InterfaceCounters
{
    private static final Path NET_DEV = Path.of("/proc/thread-self/net/dev");
    /** Fields after {@code name:} in /proc/net/dev: 8 receive columns, then the transmit ones. */
    private static final int RX_PACKETS_FIELD = 1;
    private static final int RX_DROPPED_FIELD = 3;
    private static final int TX_PACKETS_FIELD = 9;
    private static final int TX_DROPPED_FIELD = 11;
    private static final int FIELDS = 16;

    private InterfaceCounters()
    {
    }

    /** A reading of one interface; the difference of two readings is what passed in between. */
    record Sample(long rxPackets, long rxDropped, long txPackets, long txDropped)
    {
        Sample minus(final Sample earlier)
        {
            return new Sample(rxPackets - earlier.rxPackets, rxDropped - earlier.rxDropped,
                txPackets - earlier.txPackets, txDropped - earlier.txDropped);
        }
    }

    /** Reads {@code interfaceName}'s counters in {@code namespace}. */
    static Sample read(final String namespace, final String interfaceName) throws IOException
    {
        final String text;
        try
        {
            text = NetworkNamespace.call(namespace, () -> Files.readString(NET_DEV));
        }
        catch (final IOException | RuntimeException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IOException("cannot read " + NET_DEV + " in " + namespace + ": " + ex, ex);
        }
        return parse(text, interfaceName, namespace);
    }

    /** The counters of {@code interfaceName} in the text of /proc/net/dev. */
    static Sample parse(final String netDev, final String interfaceName, final String where) throws IOException
    {
        for (final String line : netDev.split("\n"))
        {
            final int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).trim().equals(interfaceName))
            {
                continue;
            }
            final String[] fields = line.substring(colon + 1).trim().split("\\s+");
            if (fields.length < FIELDS)
            {
                throw new IOException("unexpected /proc/net/dev line in " + where + ": '" + line + "'");
            }
            return new Sample(Long.parseLong(fields[RX_PACKETS_FIELD]), Long.parseLong(fields[RX_DROPPED_FIELD]),
                Long.parseLong(fields[TX_PACKETS_FIELD]), Long.parseLong(fields[TX_DROPPED_FIELD]));
        }
        throw new IOException("no interface " + interfaceName + " in " + where);
    }
}
