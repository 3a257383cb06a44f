package io.jlvs.lab;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a {@link Lab} builds: how many real servers and clients, the VIP, whether the probe link exists, whether a
 * router leads to a second subnet of (routed) real servers and how narrow it is, the MTU and extra sysctls. Immutable; made with {@link #builder()}, checked when built so that a bad spec fails before any
 * namespace exists.
 */
public final class LabSpec
{
    /** The scenario: three real servers behind one VIP. */
    public static final int DEFAULT_REAL_SERVERS = 3;
    /** Ethernet's MTU, what veth and most real links use. */
    public static final int DEFAULT_MTU = 1500;
    /** IPv4's minimum MTU (RFC 791): below it no header fits. */
    public static final int MIN_MTU = 68;
    /** veth's maximum MTU ({@code ETH_MAX_MTU}). */
    public static final int MAX_MTU = 0xFFFF;
    /** A sysctl key as {@code sysctl} spells it; no slashes, so it always names a file under /proc/sys. */
    private static final Pattern SYSCTL_KEY = Pattern.compile("[a-z0-9_]+(\\.[a-zA-Z0-9_-]+)+");

    private final int realServerCount;
    private final int clientCount;
    private final int vip;
    private final boolean withProbe;
    private final int mtu;
    private final boolean withRouter;
    private final int routedRealServerCount;
    private final int routerLinkMtu;
    private final Map<String, String> sysctls;

    private LabSpec(final Builder builder)
    {
        this.realServerCount = builder.realServerCount;
        this.clientCount = builder.clientCount;
        this.vip = builder.vip;
        this.withProbe = builder.withProbe;
        this.mtu = builder.mtu;
        this.withRouter = builder.withRouter;
        this.routedRealServerCount = builder.routedRealServerCount == null ?
            (builder.withRouter ? 1 : 0) : builder.routedRealServerCount;
        this.routerLinkMtu = builder.routerLinkMtu == null ? builder.mtu : builder.routerLinkMtu;
        this.sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(builder.sysctls));
    }

    /** A builder with the defaults: 3 real servers, 1 client, VIP 198.18.0.100, the probe, no router, MTU 1500. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** The default spec. */
    public static LabSpec defaults()
    {
        return builder().build();
    }

    public int realServerCount()
    {
        return realServerCount;
    }

    public int clientCount()
    {
        return clientCount;
    }

    /** The VIP, host byte order. */
    public int vip()
    {
        return vip;
    }

    public boolean withProbe()
    {
        return withProbe;
    }

    public int mtu()
    {
        return mtu;
    }

    /** Whether the router namespace and the routed segment behind it exist. */
    public boolean withRouter()
    {
        return withRouter;
    }

    /** Real servers on the routed segment, behind the router: 0 without a router, 1 by default with one. */
    public int routedRealServerCount()
    {
        return routedRealServerCount;
    }

    /**
     * The largest packet the router forwards between the segment and the routed segment, in either direction,
     * answering ICMP fragmentation-needed for larger DF packets; {@link #mtu()} unless set.
     */
    public int routerLinkMtu()
    {
        return routerLinkMtu;
    }

    /** Extra sysctls, in the order given, set in every host namespace after the lab's own. */
    public Map<String, String> sysctls()
    {
        return sysctls;
    }

    @Override
    public String toString()
    {
        return "LabSpec{realServers=" + realServerCount + ", clients=" + clientCount + ", vip=" +
            LabAddresses.formatIpv4(vip) + ", probe=" + withProbe + ", mtu=" + mtu +
            (withRouter ? ", router(routedRealServers=" + routedRealServerCount + ", linkMtu=" + routerLinkMtu + ")" :
            "") + ", sysctls=" + sysctls + '}';
    }

    /** Builds a {@link LabSpec}; every setter returns {@code this}. */
    public static final class Builder
    {
        private int realServerCount = DEFAULT_REAL_SERVERS;
        private int clientCount = 1;
        private int vip = LabAddresses.DEFAULT_VIP;
        private boolean withProbe = true;
        private int mtu = DEFAULT_MTU;
        private boolean withRouter;
        /** Null until set: the default depends on {@link #withRouter} (and the link's on {@link #mtu}). */
        private Integer routedRealServerCount;
        private Integer routerLinkMtu;
        private final Map<String, String> sysctls = new LinkedHashMap<>();

        private Builder()
        {
        }

        public Builder realServerCount(final int realServerCount)
        {
            this.realServerCount = realServerCount;
            return this;
        }

        public Builder clientCount(final int clientCount)
        {
            this.clientCount = clientCount;
            return this;
        }

        /** The VIP, host byte order; must be a free host address of 198.18.0.0/24. */
        public Builder vip(final int vip)
        {
            this.vip = vip;
            return this;
        }

        /** Whether to build the probe namespace and the director's second interface (default true). */
        public Builder withProbe(final boolean withProbe)
        {
            this.withProbe = withProbe;
            return this;
        }

        /** MTU of every lab link (veth pairs and the bridge). */
        public Builder mtu(final int mtu)
        {
            this.mtu = mtu;
            return this;
        }

        /**
         * Whether to build the router {@code <prefix>-rt} (default false): on the segment at 198.18.0.1 and on the
         * routed segment 198.19.1.0/24 at 198.19.1.1, forwarding between them; the clients and the director route
         * 198.19.1.0/24 through it, and the routed real servers use it as their default gateway.
         */
        public Builder withRouter(final boolean withRouter)
        {
            this.withRouter = withRouter;
            return this;
        }

        /** Real servers on the routed segment ({@code <prefix>-rr1} ..); needs the router; 1 by default with it. */
        public Builder routedRealServerCount(final int routedRealServerCount)
        {
            this.routedRealServerCount = routedRealServerCount;
            return this;
        }

        /**
         * How large a packet the router forwards between the segment and the routed segment (default: the lab's
         * MTU); needs the router. Only the router knows it, as a route MTU in both directions, so the hosts keep
         * their interfaces' MTU and learn the smaller path MTU only from the router's ICMP fragmentation-needed.
         * (The interfaces themselves stay at the lab's MTU: a veth drops, silently, every frame larger than the
         * receiving end's MTU, so a smaller MTU on the router's end of a link would lose the routed servers' large
         * packets without a word instead of answering them.)
         */
        public Builder routerLinkMtu(final int routerLinkMtu)
        {
            this.routerLinkMtu = routerLinkMtu;
            return this;
        }

        /**
         * A sysctl (e.g. {@code net.ipv4.conf.all.arp_ignore}, {@code "0"}) set in every host namespace after the
         * lab's own settings, so it can override them (to build a broken real server on purpose, say).
         */
        public Builder sysctl(final String key, final String value)
        {
            if (!SYSCTL_KEY.matcher(key).matches())
            {
                throw new IllegalArgumentException("not a sysctl key: '" + key + "'");
            }
            sysctls.put(key, value);
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that cannot work. */
        public LabSpec build()
        {
            if (realServerCount < 1 || realServerCount > LabAddresses.MAX_REAL_SERVERS)
            {
                throw new IllegalArgumentException("realServerCount must be 1.." + LabAddresses.MAX_REAL_SERVERS +
                    ", realServerCount=" + realServerCount);
            }
            if (clientCount < 1 || clientCount > LabAddresses.MAX_CLIENTS)
            {
                throw new IllegalArgumentException("clientCount must be 1.." + LabAddresses.MAX_CLIENTS +
                    ", clientCount=" + clientCount);
            }
            if (mtu < MIN_MTU || mtu > MAX_MTU)
            {
                throw new IllegalArgumentException("mtu must be " + MIN_MTU + ".." + MAX_MTU + ", mtu=" + mtu);
            }
            checkRouter();
            checkVip();
            return new LabSpec(this);
        }

        private void checkRouter()
        {
            if (routedRealServerCount != null &&
                (routedRealServerCount < 0 || routedRealServerCount > LabAddresses.MAX_ROUTED_REAL_SERVERS))
            {
                throw new IllegalArgumentException("routedRealServerCount must be 0.." +
                    LabAddresses.MAX_ROUTED_REAL_SERVERS + ", routedRealServerCount=" + routedRealServerCount);
            }
            if (!withRouter && routedRealServerCount != null && routedRealServerCount > 0)
            {
                throw new IllegalArgumentException("routed real servers need the router (withRouter(true)), " +
                    "routedRealServerCount=" + routedRealServerCount);
            }
            if (routerLinkMtu != null)
            {
                if (!withRouter)
                {
                    throw new IllegalArgumentException("routerLinkMtu needs the router (withRouter(true)), " +
                        "routerLinkMtu=" + routerLinkMtu);
                }
                if (routerLinkMtu < MIN_MTU || routerLinkMtu > mtu)
                {
                    throw new IllegalArgumentException("routerLinkMtu must be " + MIN_MTU + ".." + mtu +
                        " (the lab's MTU), routerLinkMtu=" + routerLinkMtu);
                }
            }
        }

        private void checkVip()
        {
            final String text = LabAddresses.formatIpv4(vip);
            if (!LabAddresses.isHostOf(LabAddresses.SEGMENT, vip))
            {
                throw new IllegalArgumentException("vip must be a host address of 198.18.0.0/24, vip=" + text);
            }
            boolean taken = vip == LabAddresses.DIRECTOR || withRouter && vip == LabAddresses.ROUTER;
            for (int k = 1; k <= clientCount; k++)
            {
                taken |= vip == LabAddresses.client(k);
            }
            for (int n = 1; n <= realServerCount; n++)
            {
                taken |= vip == LabAddresses.realServer(n);
            }
            if (taken)
            {
                throw new IllegalArgumentException("vip is a lab host's own address, vip=" + text);
            }
        }
    }
}
