package io.jlvs.doctor;

import io.jlvs.scheduler.Ipv4;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the doctor is told about the service, as {@code bin/jlvs doctor} options give it: the VIPs, the mode (real
 * server), the interface, a client address for the reply route, and (director) the real servers and their method.
 * Immutable; made with {@link #builder()}.
 */
public final class DoctorOptions
{
    private final List<Integer> vips;
    private final Mode mode;
    private final String interfaceName;
    private final OptionalInt client;
    private final List<RealServerTarget> realServers;

    private DoctorOptions(final Builder builder)
    {
        this.vips = Collections.unmodifiableList(new ArrayList<>(builder.vips));
        this.mode = builder.mode;
        this.interfaceName = builder.interfaceName;
        this.client = builder.client;
        this.realServers = Collections.unmodifiableList(new ArrayList<>(builder.realServers));
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** The virtual IPs, host byte order, in the order given, without duplicates. */
    public List<Integer> vips()
    {
        return vips;
    }

    /** How this real server receives its packets (real-server role); DR unless told otherwise. */
    public Mode mode()
    {
        return mode;
    }

    /**
     * Director: the interface jlvs serves (required). Real server: the interface facing the director and the
     * clients; empty means the one the reply route leaves by.
     */
    public Optional<String> interfaceName()
    {
        return Optional.ofNullable(interfaceName);
    }

    /** A client address to check the reply route with ({@code ip route get CLIENT from VIP}); empty when not given. */
    public OptionalInt client()
    {
        return client;
    }

    /** Director: the real servers of the configured services, with their forwarding method. */
    public List<RealServerTarget> realServers()
    {
        return realServers;
    }

    @Override
    public String toString()
    {
        final List<String> vipText = new ArrayList<>();
        for (final int vip : vips)
        {
            vipText.add(Ipv4.toString(vip));
        }
        return "DoctorOptions{vips=" + vipText + ", mode=" + mode.label() + ", interface=" + interfaceName +
            ", client=" + (client.isPresent() ? Ipv4.toString(client.getAsInt()) : "-") + ", realServers=" +
            realServers + '}';
    }

    /** A real server as the director sees it: its address and how jlvs forwards to it. */
    public record RealServerTarget(int address, Mode method)
    {
        public RealServerTarget
        {
            if (method == null)
            {
                throw new IllegalArgumentException("a real server needs a method, address=" + Ipv4.toString(address));
            }
        }

        @Override
        public String toString()
        {
            return Ipv4.toString(address) + "/" + method.label();
        }
    }

    /** Builds {@link DoctorOptions}; every setter returns {@code this}. */
    public static final class Builder
    {
        private final List<Integer> vips = new ArrayList<>();
        private Mode mode = Mode.DR;
        private String interfaceName;
        private OptionalInt client = OptionalInt.empty();
        private final List<RealServerTarget> realServers = new ArrayList<>();

        private Builder()
        {
        }

        /** Adds a VIP (host byte order); adding one twice keeps one. */
        public Builder vip(final int vip)
        {
            if (!vips.contains(vip))
            {
                vips.add(vip);
            }
            return this;
        }

        public Builder mode(final Mode mode)
        {
            if (mode == null)
            {
                throw new IllegalArgumentException("mode must not be null");
            }
            this.mode = mode;
            return this;
        }

        public Builder interfaceName(final String interfaceName)
        {
            this.interfaceName = interfaceName == null || interfaceName.isEmpty() ? null : interfaceName;
            return this;
        }

        public Builder client(final int client)
        {
            this.client = OptionalInt.of(client);
            return this;
        }

        /** Adds a real server of the director's services; the same address and method twice keeps one. */
        public Builder realServer(final int address, final Mode method)
        {
            final RealServerTarget target = new RealServerTarget(address, method);
            if (!realServers.contains(target))
            {
                realServers.add(target);
            }
            return this;
        }

        public DoctorOptions build()
        {
            return new DoctorOptions(this);
        }
    }
}
