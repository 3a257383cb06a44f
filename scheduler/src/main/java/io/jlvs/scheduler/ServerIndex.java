package io.jlvs.scheduler;

/**
 * Finds a real server's position in one scheduler's server array by its id, without allocating; lets a rebuilt
 * scheduler carry state (the rr cursor, the lblc cache) that refers to servers of the one it replaces.
 */
final class ServerIndex
{
    /** Marks an empty slot; positions are >= 0. */
    private static final int ABSENT = -1;
    /** Open addressing at load <= 1/2 keeps probes short. */
    private static final int LOAD_INVERSE = 2;
    /** Fibonacci hashing spreads dense ids (0, 1, 2, ...) over the slots. */
    private static final int MIX = 0x9E3779B9;

    private final int[] ids;
    private final int[] positions;
    private final int mask;

    /** Control plane; throws if an element is null or two servers share an id. */
    ServerIndex(final RealServer[] servers)
    {
        requireServers(servers);
        int capacity = 2;
        while (capacity < servers.length * LOAD_INVERSE)
        {
            capacity <<= 1;
        }
        ids = new int[capacity];
        positions = new int[capacity];
        java.util.Arrays.fill(positions, ABSENT);
        mask = capacity - 1;
        for (int i = 0; i < servers.length; i++)
        {
            final int id = servers[i].id();
            int slot = (id * MIX) & mask;
            while (positions[slot] != ABSENT)
            {
                if (ids[slot] == id)
                {
                    throw new IllegalArgumentException("two real servers share id=" + id);
                }
                slot = (slot + 1) & mask;
            }
            ids[slot] = id;
            positions[slot] = i;
        }
    }

    /** Position of the server with this id, or -1 when the array holds none. Allocation-free. */
    int positionOf(final int id)
    {
        int slot = (id * MIX) & mask;
        while (true)
        {
            final int position = positions[slot];
            if (position == ABSENT || ids[slot] == id)
            {
                return position;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Control plane: the array every factory receives must be non-null with non-null elements. */
    static RealServer[] requireServers(final RealServer[] servers)
    {
        if (servers == null)
        {
            throw new IllegalArgumentException("servers must not be null");
        }
        for (int i = 0; i < servers.length; i++)
        {
            if (servers[i] == null)
            {
                throw new IllegalArgumentException("servers[" + i + "] is null");
            }
        }
        return servers;
    }
}
