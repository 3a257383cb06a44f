package io.jlvs.dataplane.service;

import io.jlvs.scheduler.MaglevHashingScheduler;
import io.jlvs.scheduler.RealServer;
import io.jlvs.scheduler.Scheduler;

import java.util.concurrent.TimeUnit;

/**
 * A virtual service as the forwarding thread uses it: its scheduler instance (which owns the scheduling state),
 * its real servers and its persistence settings. Built by {@link ServiceTableBuilder}; immutable except for the
 * scheduler's internal state, which only the forwarding thread touches.
 */
public final class VirtualService
{
    private final VirtualServiceSpec spec;
    private final Scheduler[] schedulers;
    private final RealServer[] servers;
    private final ForwardingMethod[] methods;
    private final long persistenceTimeoutNs;
    private final int persistenceNetmask;
    private final int templateAddress;
    private final int templatePort;
    private final boolean schedulesMidConnection;
    private final long[] excludedSourceMacs;

    VirtualService(
        final VirtualServiceSpec spec,
        final Scheduler[] schedulers,
        final RealServer[] servers,
        final ForwardingMethod[] methods)
    {
        this.spec = spec;
        this.schedulers = schedulers;
        this.servers = servers;
        this.methods = methods;
        this.persistenceTimeoutNs = TimeUnit.SECONDS.toNanos(spec.persistenceTimeoutSeconds());
        this.persistenceNetmask = spec.persistenceNetmask();
        final VirtualAddress first = spec.addresses().get(0);
        // A multi-address (group/fwmark) service persists across all its addresses, as a fwmark template does:
        // key its templates on the first address and port 0.
        this.templateAddress = first.address();
        this.templatePort = spec.addresses().size() > 1 ? 0 : first.port();
        // Maglev picks a server from the packet alone, so a segment of a connection this director never saw (the
        // other director scheduled its SYN before a failover) still reaches the server that has it.
        this.schedulesMidConnection = MaglevHashingScheduler.NAME.equals(schedulers[0].name()) && !isPersistent();
        this.excludedSourceMacs = spec.excludedSourceMacs().stream().mapToLong(Long::longValue).toArray();
    }

    /** Whether frames from {@code sourceMac} are left alone by this service (a peer director's). Allocation-free. */
    public boolean excludesSource(final long sourceMac)
    {
        for (final long excluded : excludedSourceMacs)
        {
            if (excluded == sourceMac)
            {
                return true;
            }
        }
        return false;
    }

    /** Whether a TCP segment without a connection entry may be scheduled (mh), rather than dropped. */
    public boolean schedulesMidConnection()
    {
        return schedulesMidConnection;
    }

    public VirtualServiceSpec spec()
    {
        return spec;
    }

    public int protocol()
    {
        return spec.protocol();
    }

    /** The first worker's scheduler instance. */
    public Scheduler scheduler()
    {
        return schedulers[0];
    }

    /**
     * The scheduler instance of forwarding worker {@code worker}: each worker schedules with its own state (the rr
     * cursor, the lblc cache), as each CPU runs IPVS's schedulers on shared state in the kernel but without a lock.
     */
    public Scheduler scheduler(final int worker)
    {
        return schedulers[worker];
    }

    /** The service's real servers in configuration order; do not modify. */
    public RealServer[] servers()
    {
        return servers;
    }

    /** The forwarding method of {@code servers()[index]}. */
    public ForwardingMethod method(final int index)
    {
        return methods[index];
    }

    public boolean isPersistent()
    {
        return persistenceTimeoutNs > 0;
    }

    public long persistenceTimeoutNs()
    {
        return persistenceTimeoutNs;
    }

    public int persistenceNetmask()
    {
        return persistenceNetmask;
    }

    /** The virtual address persistence templates of this service are keyed on. */
    public int templateAddress()
    {
        return templateAddress;
    }

    /** The virtual port persistence templates of this service are keyed on (0: all ports / all addresses). */
    public int templatePort()
    {
        return templatePort;
    }

    @Override
    public String toString()
    {
        return spec.toString();
    }
}
