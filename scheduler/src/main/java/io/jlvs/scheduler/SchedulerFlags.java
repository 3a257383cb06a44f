package io.jlvs.scheduler;

/** The IPVS scheduler flags a virtual service carries (ipvsadm {@code -b}), as a bit set. */
public final class SchedulerFlags
{
    public static final int SH_FALLBACK = 1;
    public static final int SH_PORT = 2;
    public static final int MH_FALLBACK = 4;
    public static final int MH_PORT = 8;
    /**
     * IPVS's {@code IP_VS_SVC_F_SCHED1}: one kernel bit that sh reads as {@code sh-fallback} and mh as
     * {@code mh-fallback} ({@code ipvsadm -b flag-1}); schedulers test this mask to accept either spelling.
     */
    public static final int SCHED1 = SH_FALLBACK | MH_FALLBACK;
    /** IPVS's {@code IP_VS_SVC_F_SCHED2}: {@code sh-port} or {@code mh-port} ({@code flag-2}). */
    public static final int SCHED2 = SH_PORT | MH_PORT;

    public static final SchedulerFlags NONE = new SchedulerFlags(0);

    private final int bits;

    public SchedulerFlags(final int bits)
    {
        this.bits = bits;
    }

    public int bits()
    {
        return bits;
    }

    /** Whether any bit of {@code flag} (one flag or a mask such as {@link #SCHED1}) is set. */
    public boolean has(final int flag)
    {
        return (bits & flag) != 0;
    }

    /** Parses names such as {@code sh-fallback,sh-port}; unknown names throw naming the name. */
    public static SchedulerFlags parse(final String commaSeparated)
    {
        int bits = 0;
        if (commaSeparated != null)
        {
            for (final String raw : commaSeparated.split("[,\\s]+"))
            {
                final String name = raw.trim();
                if (name.isEmpty())
                {
                    continue;
                }
                switch (name)
                {
                    case "sh-fallback": case "flag-1": bits |= SH_FALLBACK; break;
                    case "sh-port": case "flag-2": bits |= SH_PORT; break;
                    case "mh-fallback": bits |= MH_FALLBACK; break;
                    case "mh-port": bits |= MH_PORT; break;
                    default: throw new IllegalArgumentException("unknown scheduler flag: " + name);
                }
            }
        }
        return bits == 0 ? NONE : new SchedulerFlags(bits);
    }
}
