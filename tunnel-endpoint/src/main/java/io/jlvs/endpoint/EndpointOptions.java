package io.jlvs.endpoint;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What {@code bin/jlvs tunnel-endpoint --interface IF [--vip VIP]... [--tun-name NAME] [--strict]} asks for:
 * immutable, built with {@link #builder()}. Addresses are IPv4 ints in host byte order.
 */
public final class EndpointOptions
{
    public static final String DEFAULT_TUN_NAME = "jlvs-tun0";
    /** 32 datagrams a {@code recvmmsg}: amortises the system call without holding a packet long. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** {@code UIO_MAXIOV}: the most messages one {@code recvmmsg} takes. */
    public static final int MAX_BATCH_SIZE = 1024;
    /** Room for the largest IPv4 datagram (65535 bytes), which the kernel may hand over after reassembly or GRO. */
    public static final int DEFAULT_RECEIVE_SLOT_BYTES = 64 * 1024;
    /** IPv4's minimum reassembly size (RFC 791): a smaller slot could not hold a legal datagram's worth. */
    public static final int MIN_RECEIVE_SLOT_BYTES = 576;

    private final String interfaceName;
    private final int[] vips;
    private final String tunName;
    private final boolean strict;
    private final int batchSize;
    private final int receiveSlotBytes;

    private EndpointOptions(final Builder builder)
    {
        this.interfaceName = builder.interfaceName;
        this.vips = builder.vips.stream().mapToInt(Integer::intValue).toArray();
        this.tunName = builder.tunName;
        this.strict = builder.strict;
        this.batchSize = builder.batchSize;
        this.receiveSlotBytes = builder.receiveSlotBytes;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** The interface IPIP is received on, or {@code null} for any. */
    public String interfaceName()
    {
        return interfaceName;
    }

    /** The VIPs inner packets must be addressed to (host byte order); empty accepts any destination. */
    public int[] vips()
    {
        return vips.clone();
    }

    public String tunName()
    {
        return tunName;
    }

    /** Whether the command refuses to run while {@link TunnelEndpoint#checkHost()} reports a problem. */
    public boolean strict()
    {
        return strict;
    }

    public int batchSize()
    {
        return batchSize;
    }

    public int receiveSlotBytes()
    {
        return receiveSlotBytes;
    }

    @Override
    public String toString()
    {
        final StringBuilder vipList = new StringBuilder();
        for (final int vip : vips)
        {
            vipList.append(vipList.length() == 0 ? "" : ",").append(InterfaceAddress.dotted(vip));
        }
        return "EndpointOptions{interface=" + (interfaceName == null ? "any" : interfaceName) + ", vips=[" + vipList +
            "], tun=" + tunName + ", strict=" + strict + ", batchSize=" + batchSize + ", receiveSlotBytes=" +
            receiveSlotBytes + "}";
    }

    /** Builds {@link EndpointOptions}; each setter checks its value and says what is wrong. */
    public static final class Builder
    {
        private String interfaceName;
        private final Set<Integer> vips = new LinkedHashSet<>();
        private String tunName = DEFAULT_TUN_NAME;
        private boolean strict;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int receiveSlotBytes = DEFAULT_RECEIVE_SLOT_BYTES;

        private Builder()
        {
        }

        /** Receive IPIP only on this interface; {@code null} for any. */
        public Builder interfaceName(final String interfaceName)
        {
            this.interfaceName = interfaceName == null ? null : checkName("interface", interfaceName);
            return this;
        }

        /** Adds a VIP (host byte order); repeatable, duplicates are ignored. */
        public Builder vip(final int vip)
        {
            vips.add(vip);
            return this;
        }

        /** Adds VIPs (host byte order). */
        public Builder vips(final int... vips)
        {
            Arrays.stream(vips).forEach(this::vip);
            return this;
        }

        /** The TUN device's name; {@code %d} lets the kernel pick a free number. */
        public Builder tunName(final String tunName)
        {
            this.tunName = checkName("tun name", tunName);
            return this;
        }

        public Builder strict(final boolean strict)
        {
            this.strict = strict;
            return this;
        }

        public Builder batchSize(final int batchSize)
        {
            if (batchSize < 1 || batchSize > MAX_BATCH_SIZE)
            {
                throw new IllegalArgumentException("batchSize must be in 1.." + MAX_BATCH_SIZE + ", batchSize=" +
                    batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder receiveSlotBytes(final int receiveSlotBytes)
        {
            if (receiveSlotBytes < MIN_RECEIVE_SLOT_BYTES || receiveSlotBytes > DEFAULT_RECEIVE_SLOT_BYTES)
            {
                throw new IllegalArgumentException("receiveSlotBytes must be in " + MIN_RECEIVE_SLOT_BYTES + ".." +
                    DEFAULT_RECEIVE_SLOT_BYTES + ", receiveSlotBytes=" + receiveSlotBytes);
            }
            this.receiveSlotBytes = receiveSlotBytes;
            return this;
        }

        public EndpointOptions build()
        {
            return new EndpointOptions(this);
        }

        /** The kernel's rules for a device name ({@code dev_valid_name}): 1-15 chars, no '/', ':' or whitespace. */
        private static String checkName(final String what, final String name)
        {
            if (name == null || name.isEmpty() || name.length() > IfReq.MAX_NAME_CHARS || name.equals(".") ||
                name.equals("..") || !name.chars().allMatch(c -> c > ' ' && c < 0x7F && c != '/' && c != ':'))
            {
                throw new IllegalArgumentException(what + " must be 1-" + IfReq.MAX_NAME_CHARS + " printable " +
                    "characters without '/', ':' or spaces, " + what + "='" + name + "'");
            }
            return name;
        }
    }
}
