package io.jlvs.dataplane.forward;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The MACs of the other directors of a keepalived pair (or group), learned from their ARP for a VIP: frames from
 * them were already scheduled and are never scheduled again. Written by the worker that gets ARP, read by every
 * worker; bounded and allocation-free.
 */
public final class PeerDirectors
{
    /** keepalived pairs are two directors; a few more covers a VRRP group without letting ARP fill memory. */
    public static final int CAPACITY = 8;
    private static final VarHandle COUNT;

    static
    {
        try
        {
            COUNT = MethodHandles.lookup().findVarHandle(PeerDirectors.class, "count", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long[] macs = new long[CAPACITY];
    private int count;

    /** The ARP-owning worker only: remembers {@code mac}; false when it is known already or the list is full. */
    boolean learn(final long mac)
    {
        final int known = count;
        if (known == CAPACITY || contains(mac))
        {
            return false;
        }
        macs[known] = mac;
        // Publishing the count after the slot: a reader that sees the new count sees the MAC.
        COUNT.setRelease(this, known + 1);
        return true;
    }

    /** Any worker. */
    public boolean contains(final long mac)
    {
        final int known = (int)COUNT.getAcquire(this);
        for (int i = 0; i < known; i++)
        {
            if (macs[i] == mac)
            {
                return true;
            }
        }
        return false;
    }

    /** Any thread: how many peers are known. */
    public int size()
    {
        return (int)COUNT.getAcquire(this);
    }
}
