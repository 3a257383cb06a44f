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
    TUN_ENCAPSULATED("packets sent through an IPIP tunnel", false),
    TUN_SUPER_FRAMES_SEGMENTED("super-frames cut into segments for the tunnel", false),
    TUN_SEGMENTS("segments cut for the tunnel", false),
    TUN_PACKETS_FRAGMENTED("packets fragmented to fit the tunnel", false),
    ICMP_ECHO_REPLIES("echo replies sent for a VIP", false),
    ICMP_FRAG_NEEDED_SENT("fragmentation-needed sent to clients", false),
    ICMP_TIME_EXCEEDED_SENT("time-exceeded sent to clients", false),
    ICMP_RELAYED_TO_SERVER("ICMP errors relayed to the connection's real server", false),
    ICMP_TUNNEL_ERRORS_TO_CLIENT("ICMP errors about the tunnel turned into errors for the client", false),
    FRAGMENTS_FOLLOWED("later fragments sent where their first fragment went", false),
    FRAGMENTS_HELD("fragments held until their first fragment came", false),
    FRAGMENTS_RELEASED("held fragments sent after their first fragment", false),
    HANDED_OVER_OUT("frames handed to the worker whose connection they are about", false),
    HANDED_OVER_IN("frames handed over by another worker", false),
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
    DROP_ICMP_OTHER("dropped: ICMP to a VIP that is neither an echo request nor an error about a connection", true),
    DROP_ICMP_MALFORMED("dropped: malformed ICMP", true),
    DROP_ICMP_NO_CONNECTION("dropped: ICMP error about no known connection", true),
    DROP_ECHO_REFUSED("dropped: echo request to a VIP that cannot be answered (fragmented, options, bad checksum)", true),
    DROP_TUNNEL_MTU("dropped: too big for the tunnel (frag-needed sent when DF is set)", true),
    DROP_TTL_EXPIRED("dropped: TTL expired (time exceeded sent)", true),
    DROP_GSO_UNSUPPORTED("dropped: super-frame that cannot be segmented for the tunnel", true),
    DROP_SEGMENT_POOL_FULL("dropped: no room to cut a segment or fragment", true),
    DROP_FRAGMENT_TABLE_FULL("dropped: fragment table full (later fragments of a datagram cannot follow)", true),
    DROP_FRAGMENT_HOLD_FULL("dropped: a fragment arrived before its first and the hold pool is full", true),
    DROP_FRAGMENT_HOLD_EXPIRED("dropped: a held fragment whose first fragment never came", true),
    DROP_OVERSIZE("dropped: larger than the MTU and not segmentable", true),
    DROP_RX_TOO_BIG("dropped: larger than a ring slot", true),
    DROP_NO_LOCAL_PATH("dropped: Local real server but no path into the host's stack", true),
    DROP_HANDOFF_FULL("dropped: the other worker's handover ring was full", true),
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
