package io.jlvs.endpoint;

/**
 * Everything the tunnel endpoint counts, with the words an operator reads. Each received IPIP packet is counted once
 * under {@link #DELIVERED} or under exactly one drop reason ({@link #isDrop()}), so
 * {@code RX_PACKETS == DELIVERED + drops}.
 */
public enum EndpointCounter
{
    RX_PACKETS("IPIP packets received", false),
    RX_BYTES("IPIP bytes received (outer headers included)", false),
    DELIVERED("inner packets written to the TUN device", false),
    DELIVERED_BYTES("inner bytes written to the TUN device", false),
    PARTIAL_CHECKSUMS("inner packets with a partial transport checksum, handed on as CHECKSUM_PARTIAL", false),
    RX_ERRORS("receive calls that failed (an errno other than EAGAIN/EINTR, e.g. a pending ICMP error)", false),

    DROP_RX_TRUNCATED("dropped: larger than a receive slot", true),
    DROP_OUTER_TRUNCATED("dropped: shorter than its outer IPv4 header says", true),
    DROP_OUTER_MALFORMED("dropped: malformed outer IPv4 header", true),
    DROP_OUTER_NOT_IPIP("dropped: outer protocol is not IPIP (4)", true),
    DROP_OUTER_FRAGMENT("dropped: outer header is a fragment (the kernel normally reassembles first)", true),
    DROP_INNER_TRUNCATED("dropped: inner packet shorter than its IPv4 header says", true),
    DROP_INNER_NOT_IPV4("dropped: inner packet is not IPv4", true),
    DROP_INNER_MALFORMED("dropped: malformed inner IPv4 header", true),
    DROP_INNER_BAD_CHECKSUM("dropped: inner IPv4 header checksum wrong", true),
    DROP_INNER_NOT_VIP("dropped: inner destination is not a configured VIP", true),
    DROP_TUN_WRITE("dropped: the TUN device refused the write", true);

    private final String label;
    private final boolean drop;

    EndpointCounter(final String label, final boolean drop)
    {
        this.label = label;
        this.drop = drop;
    }

    public String label()
    {
        return label;
    }

    public boolean isDrop()
    {
        return drop;
    }
}
