package io.jlvs.dataplane.counter;

/**
 * Every thing the dataplane counts, with the words an operator reads in {@code jlvs list --stats}. Drops carry
 * {@link #isDrop()}: each dropped frame is counted under exactly one reason.
 */
public enum Counter
{
    RX_FRAMES("frames received", false),
    RX_BYTES("bytes received", false),
    FORWARDED("frames forwarded", false),
    FORWARDED_BYTES("bytes forwarded", false),
    SUPER_FRAMES_FORWARDED("GSO super-frames forwarded for the kernel to segment", false),
    NEW_CONNECTIONS("connections scheduled", false),
    DELIVERED_LOCALLY("frames delivered to this host's own stack (Local real server)", false),
    MID_CONNECTION_SCHEDULED("TCP segments without a connection scheduled by mh's hash", false),
    TEMPLATES_EXPIRED_QUIESCENT("persistence templates dropped for a quiesced server", false),
    ARP_REPLIES("ARP replies sent for a VIP", false),
    ARP_REQUESTS("ARP requests sent to resolve real servers", false),
    GRATUITOUS_ARPS("gratuitous ARPs sent", false),
    CHECKSUMS_COMPLETED("partial checksums completed in software", false),
    TX_FLUSHES("TX batches flushed", false),

    DROP_TRUNCATED("dropped: truncated frame", true),
    DROP_MALFORMED("dropped: malformed IPv4 header", true),
    DROP_NOT_FOR_US("ignored: not for a virtual service", true),
    DROP_VLAN("ignored: VLAN-tagged (the tag was stripped; the frame belongs to a VLAN interface)", true),
    DROP_ARP_NOT_FOR_US("ignored: ARP not for a VIP", true),
    PEER_DIRECTOR_FRAMES("left to the local stack: already scheduled by the peer director", true),
    PEER_DIRECTORS_LEARNED("peer directors learned from their ARP for a VIP", false),
    DROP_LOOP("dropped: would go back to the host it came from (director ping-pong)", true),
    DROP_NO_CONNECTION("dropped: TCP segment without a connection (not a SYN)", true),
    DROP_NO_REAL_SERVER("dropped: no real server available", true),
    DROP_NO_NEIGHBOUR("dropped: real server MAC not resolved", true),
    DROP_TABLE_FULL("dropped: connection table full", true),
    DROP_FRAGMENT("dropped: non-first IP fragment to a VIP", true),
    DROP_ICMP("dropped: ICMP to a VIP", true),
    DROP_OVERSIZE("dropped: larger than the MTU and not segmentable", true),
    DROP_RX_TOO_BIG("dropped: larger than a ring slot", true),
    DROP_NO_LOCAL_PATH("dropped: Local real server but no path into the host's stack", true),
    DROP_TX_FULL("dropped: TX batch could not take the frame", true);

    private final String label;
    private final boolean drop;

    Counter(final String label, final boolean drop)
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
