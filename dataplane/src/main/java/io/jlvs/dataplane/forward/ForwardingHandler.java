package io.jlvs.dataplane.forward;

import com.lmax.disruptor.EventHandler;
import io.jlvs.arp.ArpHeader;
import io.jlvs.arp.ArpResponder;
import io.jlvs.arp.MacAddress;
import io.jlvs.arp.NeighbourTable;
import io.jlvs.conntrack.ConnectionListener;
import io.jlvs.conntrack.ConnectionTable;
import io.jlvs.conntrack.Timeouts;
import io.jlvs.dataplane.codec.Checksums;
import io.jlvs.dataplane.codec.EthernetHeader;
import io.jlvs.dataplane.codec.FrameBytes;
import io.jlvs.dataplane.codec.FrameParser;
import io.jlvs.dataplane.codec.IcmpErrorParser;
import io.jlvs.dataplane.codec.IcmpHeader;
import io.jlvs.dataplane.codec.IcmpMessages;
import io.jlvs.dataplane.codec.IpipEncapsulation;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.codec.TcpHeader;
import io.jlvs.dataplane.codec.UdpHeader;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.counter.Counters;
import io.jlvs.dataplane.counter.LatencyRecorder;
import io.jlvs.dataplane.fragment.FragmentTable;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.pipeline.FrameSlots;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.dataplane.service.VirtualService;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportStatus;
import io.jlvs.dataplane.transport.VnetHeader;
import io.jlvs.dataplane.transport.afpacket.FanoutByClient;
import io.jlvs.scheduler.RealServer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The forwarding thread: where every frame is decided. For each slot of the ring it parses the frame, answers ARP
 * for the VIPs and ICMP echo, finds the virtual service, looks up or schedules the connection, and hands the frame
 * to its real server's forwarding method ({@link DirectRouting}, {@link Tunnel}, or the local path into the host's
 * own stack), which queues it; on {@code endOfBatch} TX is flushed once. ICMP errors about a connection go to its
 * real server; IP fragments follow their first fragment. Ticks give it its housekeeping turn: neighbour probes,
 * gratuitous ARP, connection and fragment expiry and control-plane tasks.
 * <p>
 * It is the only writer of the connection table, the neighbour cache, the scheduler state, the real servers'
 * counters and its own counters. Per frame it allocates nothing, locks nothing, logs nothing and throws nothing.
 */
public final class ForwardingHandler
    implements EventHandler<FrameEvent>, NeighbourTable.ProbeSink, ConnectionListener, MessageHandler
{
    /** Message type of a frame handed over from another worker. */
    private static final int HANDOFF_FRAME = 1;
    /** Handed-over frames a tick processes at most. */
    private static final int HANDOFFS_PER_TICK = 64;
    /** Connection-table expiry work per tick: bounded so a tick never stalls forwarding. */
    private static final int EXPIRY_BUDGET_PER_TICK = 256;
    private static final int CONTROL_TASKS_PER_TICK = 8;
    private static final int SCRATCH_SLOTS = 256;
    /** Enough for two 64 KiB super-frames cut into 1500-byte segments before a flush is forced. */
    private static final int SEGMENT_SLOTS = 96;
    private static final int TCP_NEW_CONNECTION_MASK = TcpHeader.FLAG_SYN | TcpHeader.FLAG_RST;
    /** Datagrams whose fragments are followed at once; the kernel's ipfrag defaults hold a few thousand. */
    private static final int FRAGMENT_CAPACITY = 4096;
    /** As the kernel's ipfrag_time: a datagram not complete by then is given up. */
    private static final long FRAGMENT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int FRAGMENT_HOLD_FRAMES = 64;
    private static final long FRAGMENT_HOLD_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int FRAGMENT_EXPIRY_BUDGET_PER_TICK = 64;
    /** Clients whose L2 next hop is remembered, to send them the ICMP errors routers return about the tunnel. */
    private static final int CLIENT_MAC_CAPACITY = 1 << 16;
    private static final long NO_CLIENT_MAC = -1L;
    private static final long ADDRESS_MASK = 0xFFFF_FFFFL;
    /** A server's slot in {@link #serverMacs} not looked up yet; neither a 48-bit MAC nor NeighbourTable.NO_MAC. */
    private static final long MAC_NOT_CACHED = Long.MIN_VALUE;
    /** No neighbour-table version: the MAC cache is empty (new table). Versions count up from 0. */
    private static final long NO_MAC_VERSION = -1L;

    private final Counters counters;
    private final LatencyRecorder latency;
    /** Which forwarding worker this is; worker 0 gets the ARP frames and owns the neighbour cache. */
    private final int worker;
    private final boolean ownsArp;
    private final PeerDirectors peers;
    private RingBuffer[] handoffs;
    private final FrameEvent handedOver = new FrameSlots(1).newInstance();
    private final Supplier<ServiceTable> published;
    private final ConnectionTable connections;
    private final NeighbourTable neighbours;
    private final ArpResponder arp;
    private final ManyToOneConcurrentArrayQueue<Runnable> controlTasks;
    private final FrameParser parser = new FrameParser();
    private final IcmpErrorParser icmp = new IcmpErrorParser();
    private final FragmentTable fragments;
    private final TxQueue tx;
    private final Tunnel tunnel;
    private final IcmpAnswers icmpAnswers;
    private final Long2LongHashMap clientMacs = new Long2LongHashMap(CLIENT_MAC_CAPACITY * 2, 0.65f, NO_CLIENT_MAC);
    private final long directorMac;
    private final int directorAddress;
    private final int mtu;
    private final boolean expireQuiescentTemplate;
    private final boolean learnPeerDirectors;
    private final boolean answerArp;

    private ServiceTable table = ServiceTable.EMPTY;
    /** What {@link #service} found last in {@link #table}, for which packet; null when nothing yet. */
    private VirtualService lastService;
    private int lastServiceProtocol;
    private int lastServiceAddress;
    private int lastServicePort;
    /**
     * Each real server's next-hop MAC (or NO_MAC) as the neighbour cache answered it, by server id, while the cache's
     * {@link NeighbourTable#version()} stays {@link #serverMacsVersion}: a frame to an established flow then skips
     * the hash lookup. Forgotten with the table (ids map to next hops through it) and on every neighbour change.
     */
    private long[] serverMacs = new long[0];
    private long serverMacsVersion = NO_MAC_VERSION;
    /**
     * Forwarded packets and bytes of the current run of frames to one real server, added to its counts when the run
     * ends (another server, or the batch's end): readers (listings, the rate estimator) see them a batch later.
     */
    private RealServer runServer;
    private long runPackets;
    private long runBytes;
    private boolean announcePending;
    private boolean tableCheckDue;
    private long heldExpiredSeen;
    /** The kernel receive time of the current batch's oldest frame: its latency bounds every frame's. */
    private long oldestRxNs = Long.MAX_VALUE;
    private long nowNs;

    public ForwardingHandler(
        final PacketTransport transport,
        final int worker,
        final Counters counters,
        final Supplier<ServiceTable> published,
        final int connectionCapacity,
        final Timeouts timeouts,
        final boolean expireQuiescentTemplate,
        final boolean learnPeerDirectors,
        final boolean answerArp,
        final NeighbourTable neighbours,
        final ArpResponder arp,
        final PeerDirectors peers,
        final ManyToOneConcurrentArrayQueue<Runnable> controlTasks,
        final LatencyRecorder latency)
    {
        this.latency = latency;
        this.worker = worker;
        this.ownsArp = worker == 0;
        this.peers = peers;
        this.counters = counters;
        this.published = published;
        // The table reports counter changes back to this handler, which owns the real servers' counters.
        this.connections = new ConnectionTable(connectionCapacity, timeouts, this);
        this.neighbours = neighbours;
        this.arp = arp;
        this.controlTasks = controlTasks;
        this.directorMac = transport.macAddress();
        this.directorAddress = transport.ipv4Address();
        this.mtu = transport.mtu();
        this.expireQuiescentTemplate = expireQuiescentTemplate;
        this.learnPeerDirectors = learnPeerDirectors;
        this.answerArp = answerArp;
        this.fragments = new FragmentTable(FRAGMENT_CAPACITY, FRAGMENT_TIMEOUT_NS, FRAGMENT_HOLD_FRAMES,
            EthernetHeader.LENGTH + mtu, FRAGMENT_HOLD_TIMEOUT_NS);
        this.tx = new TxQueue(transport, counters, SCRATCH_SLOTS, SEGMENT_SLOTS, fragments::recycleReleased);
        this.icmpAnswers = new IcmpAnswers(tx, counters, directorMac);
        this.tunnel = new Tunnel(tx, counters, icmpAnswers, directorMac, directorAddress, mtu);
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        // The clock comes with the events, so the table is looked at when the batch's first event is.
        tableCheckDue = true;
    }

    @Override
    public void onEvent(final FrameEvent event, final long sequence, final boolean endOfBatch)
    {
        nowNs = event.nowNs();
        if (tableCheckDue)
        {
            tableCheckDue = false;
            oldestRxNs = Long.MAX_VALUE;
            final ServiceTable latest = published.get();
            if (latest != table)
            {
                switchTable(latest);
            }
        }
        if (event.kind() == FrameEvent.KIND_TICK)
        {
            onTick();
        }
        else
        {
            oldestRxNs = Math.min(oldestRxNs, event.rxNs());
            onFrame(event);
        }
        if (endOfBatch)
        {
            countRun();
            final int sent = tx.flush();
            if (sent > 0 && oldestRxNs != Long.MAX_VALUE)
            {
                // One clock read per batch: every frame of it waited at most this long since the kernel received it.
                latency.record(System.nanoTime() - oldestRxNs, sent);
            }
        }
    }

    /**
     * Before start: the inbound rings of every worker (this one's at its own index), through which a frame that
     * belongs to another worker's connection shard (an ICMP error sent by a router, hashed by the router's address)
     * is handed to that worker.
     */
    public void handoffs(final RingBuffer[] rings)
    {
        this.handoffs = rings.clone();
    }

    /** The current table as the forwarding thread sees it; forwarding thread only. */
    public ServiceTable table()
    {
        return table;
    }

    public ConnectionTable connections()
    {
        return connections;
    }

    public NeighbourTable neighbours()
    {
        return neighbours;
    }

    private void switchTable(final ServiceTable latest)
    {
        table = latest;
        lastService = null;
        final int serverSlots = latest.serversById().length;
        if (serverMacs.length < serverSlots)
        {
            // Once per table that has more server ids than any before: not per frame.
            serverMacs = new long[serverSlots];
        }
        serverMacsVersion = NO_MAC_VERSION;
        if (!ownsArp)
        {
            return;
        }
        arp.virtualAddresses(latest.virtualAddresses());
        // The neighbour cache learns the new wanted set on its next poll; re-derive every server's reachability
        // from it now, so new server objects start out right.
        neighbours.poll(nowNs, this);
        final RealServer[] servers = latest.serversById();
        for (int id = 0; id < servers.length; id++)
        {
            if (servers[id] != null)
            {
                // The host itself needs no MAC: it is reached through the local path.
                servers[id].neighbourReachable(latest.method(id) == ForwardingMethod.LOCAL ||
                    neighbours.lookup(latest.nextHop(id)) != NeighbourTable.NO_MAC);
            }
        }
        announcePending = true;
    }

    private void onTick()
    {
        if (ownsArp)
        {
            onArpTick();
        }
        connections.expire(nowNs, EXPIRY_BUDGET_PER_TICK);
        fragments.expire(nowNs, FRAGMENT_EXPIRY_BUDGET_PER_TICK);
        final long heldExpired = fragments.heldExpired();
        if (heldExpired != heldExpiredSeen)
        {
            counters.add(Counter.DROP_FRAGMENT_HOLD_EXPIRED, heldExpired - heldExpiredSeen);
            heldExpiredSeen = heldExpired;
        }
        for (final VirtualService service : table.services())
        {
            service.scheduler(worker).expire(nowNs);
        }
        if (handoffs != null)
        {
            handoffs[worker].read(this, HANDOFFS_PER_TICK);
        }
        for (int i = 0; i < CONTROL_TASKS_PER_TICK; i++)
        {
            final Runnable task = controlTasks.poll();
            if (task == null)
            {
                break;
            }
            task.run();
        }
    }

    /** The ARP-owning worker's housekeeping: announce the VIPs after a table change, resolve the real servers. */
    private void onArpTick()
    {
        if (announcePending && answerArp)
        {
            announcePending = false;
            for (final int vip : table.virtualAddresses())
            {
                final int offset = tx.claimScratch();
                final int length = ArpResponder.writeGratuitousArp(tx.scratch(), offset, directorMac, vip);
                tx.queueScratch(offset, length);
                counters.increment(Counter.GRATUITOUS_ARPS);
            }
        }
        neighbours.poll(nowNs, this);
    }

    private void onFrame(final FrameEvent event)
    {
        final UnsafeBuffer buffer = event.buffer();
        final int frameOffset = FrameEvent.FRAME_OFFSET;
        final int frameLength = event.frameLength();
        if ((event.status() & TransportStatus.VLAN_VALID) != 0)
        {
            // The NIC stripped an 802.1Q tag: the frame was for a VLAN sub-interface, not this untagged segment.
            counters.increment(Counter.DROP_VLAN);
            return;
        }
        final int result = parser.parse(buffer, frameOffset, frameLength);
        switch (result)
        {
            case FrameParser.IPV4:
                onIpv4(event, buffer, frameOffset, frameLength);
                break;
            case FrameParser.ARP:
                onArp(buffer, frameOffset, frameLength);
                break;
            case FrameParser.OTHER_ETHERTYPE:
                counters.increment(Counter.DROP_NOT_FOR_US);
                break;
            case FrameParser.MALFORMED_IP:
                counters.increment(Counter.DROP_MALFORMED);
                break;
            default:
                counters.increment(Counter.DROP_TRUNCATED);
                break;
        }
    }

    private void onArp(final UnsafeBuffer buffer, final int frameOffset, final int frameLength)
    {
        if (!ownsArp)
        {
            // Only the first worker's socket gets ARP (the fanout program sends it there); never here but by a
            // fanout mode that ignores that, and the neighbour cache has one writer.
            counters.increment(Counter.DROP_ARP_NOT_FOR_US);
            return;
        }
        if (learnPeerDirectors)
        {
            learnPeerDirector(buffer, frameOffset, frameLength);
        }
        final int offset = tx.claimScratch();
        final int length = arp.onArpFrame(buffer, frameOffset, frameLength, tx.scratch(), offset, nowNs);
        if (length > 0 && answerArp)
        {
            tx.queueScratch(offset, length);
            counters.increment(Counter.ARP_REPLIES);
        }
        else
        {
            counters.increment(Counter.DROP_ARP_NOT_FOR_US);
        }
    }

    /**
     * An IPv4 frame. The path of an established connection (service, connection, state, neighbour, DR rewrite)
     * stays in this method and {@link #deliver}; everything rarer is in methods of its own, so that these two stay
     * small enough for the JIT to compile them inline into one another and into the event loop.
     */
    private void onIpv4(
        final FrameEvent event, final UnsafeBuffer buffer, final int frameOffset, final int frameLength)
    {
        final FrameParser p = parser;
        final int protocol = p.protocol();
        if (protocol == Ipv4Header.PROTOCOL_ICMP)
        {
            onIcmp(event, buffer, frameOffset, frameLength);
            return;
        }
        if (!p.hasPorts())
        {
            onWithoutPorts(buffer, frameOffset, frameLength);
            return;
        }
        final VirtualService service = service(protocol, p.dstAddr(), p.dstPort());
        if (service == null)
        {
            counters.increment(Counter.DROP_NOT_FOR_US);
            return;
        }
        // The parser checked the frame's range and that it holds an IPv4 header: the MAC needs no check of its own.
        final long sourceMac = FrameBytes.mac(buffer, frameOffset + EthernetHeader.SRC_MAC_OFFSET);
        if (service.excludesSource(sourceMac) || (learnPeerDirectors && peers.contains(sourceMac)))
        {
            onPeerDirectorFrame(event, buffer, frameOffset, frameLength);
            return;
        }

        final int tcpFlags = p.tcpFlags();
        final boolean syn = protocol == Ipv4Header.PROTOCOL_TCP &&
            (tcpFlags & TCP_NEW_CONNECTION_MASK) == TcpHeader.FLAG_SYN;
        int handle = connections.lookup(protocol, p.srcAddr(), p.srcPort(), p.dstAddr(), p.dstPort());
        if (handle == ConnectionTable.NO_ENTRY || (syn && connections.isReusable(handle)))
        {
            handle = newConnection(service, handle, syn, sourceMac);
            if (handle == ConnectionTable.NO_ENTRY)
            {
                return;
            }
        }
        connections.onPacket(handle, tcpFlags, nowNs);
        final int serverId = connections.serverId(handle);
        completeChecksumIfPartial(event, buffer);
        deliver(buffer, frameOffset, frameLength, event.hasVnetHeader(), serverId, sourceMac);
        if (p.isFragment())
        {
            followFragments(p.srcAddr(), p.dstAddr(), protocol, p.ipId(), serverId, sourceMac);
        }
    }

    /**
     * The table's service for a packet to {@code address:port}, or null. Frames come in runs to the same few
     * services, so the last one found is kept (per worker, forgotten with the table) and a frame to it skips the
     * hash lookup.
     */
    private VirtualService service(final int protocol, final int address, final int port)
    {
        final VirtualService last = lastService;
        if (last != null && address == lastServiceAddress && port == lastServicePort && protocol == lastServiceProtocol)
        {
            return last;
        }
        final VirtualService found = table.lookup(protocol, address, port);
        if (found != null)
        {
            lastService = found;
            lastServiceProtocol = protocol;
            lastServiceAddress = address;
            lastServicePort = port;
        }
        return found;
    }

    /** A TCP or UDP packet without ports: a later fragment follows its first one; anything else is not ours. */
    private void onWithoutPorts(final UnsafeBuffer buffer, final int frameOffset, final int frameLength)
    {
        final FrameParser p = parser;
        if (p.isNonFirstFragment() && table.isVirtualAddress(p.dstAddr()))
        {
            onLaterFragment(buffer, frameOffset, frameLength);
        }
        else
        {
            counters.increment(Counter.DROP_NOT_FOR_US);
        }
    }

    /**
     * The peer director of a master/backup pair scheduled this frame to us as one of its real servers: scheduling
     * it again could send it back, and the two would bounce it for ever. The host's stack, which holds the VIP on
     * lo, takes it: directly, or through the local path when VIP frames are kept from the stack (this host is a
     * Local real server too).
     */
    private void onPeerDirectorFrame(
        final FrameEvent event, final UnsafeBuffer buffer, final int frameOffset, final int frameLength)
    {
        counters.increment(Counter.PEER_DIRECTOR_FRAMES);
        final PacketTransport local = table.localTransport(worker);
        if (local != null)
        {
            completeChecksumIfPartial(event, buffer);
            DirectRouting.rewrite(buffer, frameOffset, table.localMac(), directorMac);
            tx.queueLocal(local, buffer, frameOffset, frameLength, event.hasVnetHeader());
        }
    }

    /**
     * No usable connection for the parsed packet: {@code existing} is {@link ConnectionTable#NO_ENTRY}, or a
     * closing entry a new SYN reuses. Schedules a new connection when the packet may start one.
     *
     * @return the new connection's handle, or NO_ENTRY after counting why there is none.
     */
    private int newConnection(final VirtualService service, final int existing, final boolean syn, final long sourceMac)
    {
        final FrameParser p = parser;
        if (existing != ConnectionTable.NO_ENTRY)
        {
            // IPVS conn_reuse_mode: a new SYN on a closing entry is a new connection; schedule it afresh.
            connections.remove(existing);
        }
        final int protocol = p.protocol();
        final int tcpFlags = p.tcpFlags();
        final boolean midConnection = protocol == Ipv4Header.PROTOCOL_TCP && !syn;
        if (midConnection && ((tcpFlags & TcpHeader.FLAG_RST) != 0 || !service.schedulesMidConnection()))
        {
            counters.increment(Counter.DROP_NO_CONNECTION);
            discardHeldFragments(p.isFragment());
            return ConnectionTable.NO_ENTRY;
        }
        final int handle = schedule(service, protocol, p.srcAddr(), p.srcPort(), p.dstAddr(), p.dstPort());
        if (handle == ConnectionTable.NO_ENTRY)
        {
            discardHeldFragments(p.isFragment());
            return ConnectionTable.NO_ENTRY;
        }
        counters.increment(midConnection ? Counter.MID_CONNECTION_SCHEDULED : Counter.NEW_CONNECTIONS);
        rememberClient(p.srcAddr(), sourceMac);
        return handle;
    }

    /**
     * Sends a frame to the real server with this id by its forwarding method: DR, TUN, or the local path. The
     * transport checksum must be complete already unless the frame's virtio-net header carries it on.
     *
     * @return whether the frame was queued.
     */
    private boolean deliver(
        final UnsafeBuffer buffer, final int frameOffset, final int frameLength, final boolean hasVnet,
        final int serverId, final long sourceMac)
    {
        final RealServer server = table.server(serverId);
        if (server == null)
        {
            counters.increment(Counter.DROP_NO_REAL_SERVER);
            return false;
        }
        if (!FrameBytes.inBounds(buffer, frameOffset, EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH))
        {
            // Every frame here was parsed as IPv4 (this one, or a held fragment when it arrived); one check of the
            // headers' range covers the reads and writes below.
            counters.increment(Counter.DROP_TRUNCATED);
            return false;
        }
        final int ipLength = FrameBytes.u16(buffer, frameOffset + EthernetHeader.LENGTH + Ipv4Header.TOTAL_LENGTH_OFFSET);
        final ForwardingMethod method = table.method(serverId);
        final boolean sent;
        if (method == ForwardingMethod.LOCAL)
        {
            sent = deliverLocally(buffer, frameOffset, frameLength, hasVnet);
        }
        else
        {
            final long mac = serverMac(serverId);
            if (mac == NeighbourTable.NO_MAC)
            {
                counters.increment(Counter.DROP_NO_NEIGHBOUR);
                return false;
            }
            if (mac == sourceMac && method == ForwardingMethod.ROUTE)
            {
                // Sending a frame back to the host it came from: that host scheduled it to us, we would schedule
                // it back, for ever (two directors that are also real servers, without ping-pong protection).
                // Only for DR: a TUN server's next hop is a router, from which clients' frames rightly come.
                counters.increment(Counter.DROP_LOOP);
                return false;
            }
            if (method == ForwardingMethod.TUNNEL)
            {
                sent = tunnel.transmit(buffer, frameOffset, frameLength, hasVnet, server.address(), mac, sourceMac);
            }
            else
            {
                sent = routeDirectly(buffer, frameOffset, frameLength, hasVnet, mac, sourceMac);
            }
        }
        if (sent)
        {
            if (server != runServer)
            {
                countRun();
                runServer = server;
            }
            runPackets++;
            runBytes += ipLength;
        }
        return sent;
    }

    /** Adds the run's forwarded packets and bytes to its server's counts. */
    private void countRun()
    {
        if (runPackets != 0)
        {
            runServer.countForwarded(worker, runPackets, runBytes);
            runPackets = 0;
            runBytes = 0;
        }
    }

    /**
     * The MAC of real server {@code serverId}'s next hop, or NO_MAC: from {@link #serverMacs} while the neighbour
     * cache has not changed since it was filled, so a server that becomes unreachable or changes MAC is followed at
     * the next frame.
     */
    private long serverMac(final int serverId)
    {
        final long version = ownsArp ? neighbours.version() : neighbours.versionShared();
        final long[] macs = serverMacs;
        if (version == serverMacsVersion && serverId < macs.length)
        {
            final long mac = macs[serverId];
            if (mac != MAC_NOT_CACHED)
            {
                return mac;
            }
        }
        return lookUpServerMac(serverId, version);
    }

    /** The neighbour cache's answer for the server's next hop, remembered under {@code version}. */
    private long lookUpServerMac(final int serverId, final long version)
    {
        final long[] macs = serverMacs;
        if (version != serverMacsVersion)
        {
            Arrays.fill(macs, MAC_NOT_CACHED);
            serverMacsVersion = version;
        }
        final int nextHop = table.nextHop(serverId);
        // The version was read before the lookup: a change after it bumps the version again and refills the cache.
        final long mac = ownsArp ? neighbours.lookup(nextHop) : neighbours.lookupShared(nextHop);
        if (serverId < macs.length)
        {
            macs[serverId] = mac;
        }
        return mac;
    }

    /** To a Local real server: the host's own stack, through the local path. */
    private boolean deliverLocally(
        final UnsafeBuffer buffer, final int frameOffset, final int frameLength, final boolean hasVnet)
    {
        final PacketTransport local = table.localTransport(worker);
        if (local == null)
        {
            counters.increment(Counter.DROP_NO_LOCAL_PATH);
            return false;
        }
        DirectRouting.rewrite(buffer, frameOffset, table.localMac(), directorMac);
        return tx.queueLocal(local, buffer, frameOffset, frameLength, hasVnet);
    }

    /** DR: TTL, then the real server's MAC, then TX. {@link #deliver} checked the headers' range. */
    private boolean routeDirectly(
        final UnsafeBuffer buffer, final int frameOffset, final int frameLength, final boolean hasVnet,
        final long mac, final long sourceMac)
    {
        if (frameLength - EthernetHeader.LENGTH > mtu && !isForwardableSuperFrame(buffer, frameOffset, hasVnet))
        {
            return false;
        }
        final int ip = frameOffset + EthernetHeader.LENGTH;
        final int ttl = FrameBytes.u8(buffer, ip + Ipv4Header.TTL_OFFSET);
        if (ttl <= 1)
        {
            ttlExpired(buffer, frameOffset, sourceMac);
            return false;
        }
        IpipEncapsulation.decrementTtlInRange(buffer, ip, ttl);
        DirectRouting.rewriteInRange(buffer, frameOffset, mac, directorMac);
        return tx.queueFrame(buffer, frameOffset, frameLength, hasVnet);
    }

    /** A frame above the MTU: forwarded only as a GSO super-frame, counted either way. */
    private boolean isForwardableSuperFrame(final UnsafeBuffer buffer, final int frameOffset, final boolean hasVnet)
    {
        if (!isSuperFrame(buffer, frameOffset, hasVnet))
        {
            counters.increment(Counter.DROP_OVERSIZE);
            return false;
        }
        counters.increment(Counter.SUPER_FRAMES_FORWARDED);
        return true;
    }

    /** IPVS decrements the TTL on every forwarding method; a packet that dies here is answered. */
    private void ttlExpired(final UnsafeBuffer buffer, final int frameOffset, final long sourceMac)
    {
        icmpAnswers.answer(buffer, frameOffset, sourceMac, IcmpHeader.TYPE_TIME_EXCEEDED,
            IcmpHeader.CODE_TTL_EXCEEDED, 0, Counter.ICMP_TIME_EXCEEDED_SENT);
        counters.increment(Counter.DROP_TTL_EXPIRED);
    }

    /**
     * ICMP: echo requests to a VIP are answered; errors about a connection go to its real server; errors routers
     * return about our tunnel packets are turned into the error the client needs. The rest is counted and dropped.
     */
    private void onIcmp(
        final FrameEvent event, final UnsafeBuffer buffer, final int frameOffset, final int frameLength)
    {
        final FrameParser p = parser;
        final boolean toVip = table.isVirtualAddress(p.dstAddr());
        if (!toVip && (p.dstAddr() != directorAddress || directorAddress == 0))
        {
            counters.increment(Counter.DROP_NOT_FOR_US);
            return;
        }
        if (p.isFragment())
        {
            counters.increment(toVip ? Counter.DROP_ICMP_OTHER : Counter.DROP_NOT_FOR_US);
            return;
        }
        final int result = icmp.parse(buffer, p.l3Offset(), p.ipTotalLength());
        if (toVip)
        {
            if (result == IcmpErrorParser.ABOUT_REPLY)
            {
                final int handle = connections.lookup(icmp.embeddedProtocol(), icmp.clientAddr(), icmp.clientPort(),
                    icmp.virtualAddr(), icmp.virtualPort());
                if (handle == ConnectionTable.NO_ENTRY)
                {
                    if (!handOver(icmp.clientAddr(), buffer, frameOffset, frameLength))
                    {
                        counters.increment(Counter.DROP_ICMP_NO_CONNECTION);
                    }
                    return;
                }
                final long sourceMac = MacAddress.read(buffer, frameOffset + EthernetHeader.SRC_MAC_OFFSET);
                if (deliver(buffer, frameOffset, frameLength, event.hasVnetHeader(), connections.serverId(handle),
                    sourceMac))
                {
                    counters.increment(Counter.ICMP_RELAYED_TO_SERVER);
                }
            }
            else if (result == IcmpErrorParser.OTHER_TYPE && icmp.icmpType() == IcmpHeader.TYPE_ECHO_REQUEST)
            {
                final int length = IcmpMessages.echoReplyInPlace(buffer, frameOffset, frameLength, directorMac,
                    icmpAnswers.nextId());
                if (length > 0 && tx.queueFrame(buffer, frameOffset, length, event.hasVnetHeader()))
                {
                    counters.increment(Counter.ICMP_ECHO_REPLIES);
                }
                else if (length <= 0)
                {
                    counters.increment(Counter.DROP_ECHO_REFUSED);
                }
            }
            else
            {
                counters.increment(result < 0 ? Counter.DROP_ICMP_MALFORMED : Counter.DROP_ICMP_OTHER);
            }
            return;
        }
        if (result == IcmpErrorParser.ABOUT_TUNNEL && icmp.tunnelSrcAddr() == directorAddress)
        {
            if (connections.lookup(icmp.embeddedProtocol(), icmp.clientAddr(), icmp.clientPort(), icmp.virtualAddr(),
                icmp.virtualPort()) == ConnectionTable.NO_ENTRY &&
                handOver(icmp.clientAddr(), buffer, frameOffset, frameLength))
            {
                return;
            }
            onTunnelError(buffer);
        }
        else
        {
            // ICMP for the director's own address that is not about our tunnel: the host's stack handles it.
            counters.increment(Counter.DROP_NOT_FOR_US);
        }
    }

    /**
     * A router on the way to a TUN real server returned an error about one of our tunnel packets: tell the client,
     * whose packet it really was, with the MTU it must use inside the tunnel.
     */
    private void onTunnelError(final UnsafeBuffer buffer)
    {
        final int handle = connections.lookup(icmp.embeddedProtocol(), icmp.clientAddr(), icmp.clientPort(),
            icmp.virtualAddr(), icmp.virtualPort());
        final long clientMac = clientMacs.get(icmp.clientAddr() & ADDRESS_MASK);
        if (handle == ConnectionTable.NO_ENTRY || clientMac == NO_CLIENT_MAC)
        {
            counters.increment(Counter.DROP_ICMP_NO_CONNECTION);
            return;
        }
        final int offset = tx.claimScratch();
        final int length;
        if (icmp.isFragmentationNeeded())
        {
            if (!icmp.embeddedDontFragment())
            {
                // The client let the network fragment its packet; only we could have, so nothing to tell it.
                counters.increment(Counter.DROP_ICMP_OTHER);
                return;
            }
            length = IcmpMessages.writeFragmentationNeeded(tx.scratch(), offset, tx.scratchCapacity(), clientMac,
                directorMac, IpipEncapsulation.innerMtu(icmp.nextHopMtu()), icmpAnswers.nextId(), buffer,
                icmp.embeddedOffset(), icmp.embeddedLength());
        }
        else
        {
            length = IcmpMessages.writeAnswer(tx.scratch(), offset, tx.scratchCapacity(), clientMac, directorMac,
                icmp.icmpType(), icmp.icmpCode(), icmp.restOfHeader(), icmpAnswers.nextId(), buffer, icmp.embeddedOffset(),
                icmp.embeddedLength());
        }
        if (length > 0 && tx.queueScratch(offset, length))
        {
            counters.increment(Counter.ICMP_TUNNEL_ERRORS_TO_CLIENT);
        }
        else
        {
            counters.increment(Counter.DROP_ICMP_MALFORMED);
        }
    }

    /** A frame another worker handed over: processed as if it had arrived here. */
    @Override
    public void onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        if (msgTypeId != HANDOFF_FRAME || length > FrameEvent.MAX_FRAME_LENGTH)
        {
            return;
        }
        handedOver.buffer().putBytes(FrameEvent.FRAME_OFFSET, buffer, index, length);
        handedOver.set(FrameEvent.KIND_FRAME, length, false, 0, nowNs);
        counters.increment(Counter.HANDED_OVER_IN);
        onFrame(handedOver);
    }

    /**
     * With several workers, the connection an ICMP error is about lives in the shard of the worker the client's
     * address hashes to (the fanout program's own hash); hands the frame there. Returns false when it is this
     * worker's, or there is nobody to hand it to.
     */
    private boolean handOver(final int clientAddr, final DirectBuffer buffer, final int frameOffset, final int frameLength)
    {
        if (handoffs == null || handoffs.length == 1)
        {
            return false;
        }
        final int owner = (int)(FanoutByClient.hash(clientAddr) % handoffs.length);
        if (owner == worker)
        {
            return false;
        }
        if (handoffs[owner].write(HANDOFF_FRAME, buffer, frameOffset, frameLength))
        {
            counters.increment(Counter.HANDED_OVER_OUT);
        }
        else
        {
            counters.increment(Counter.DROP_HANDOFF_FULL);
        }
        return true;
    }

    /** A fragment after the first: it goes where its first fragment went, or waits briefly for it. */
    private void onLaterFragment(final UnsafeBuffer buffer, final int frameOffset, final int frameLength)
    {
        final FrameParser p = parser;
        final int serverId = fragments.lookup(p.srcAddr(), p.dstAddr(), p.protocol(), p.ipId(), nowNs);
        if (serverId != FragmentTable.NO_SERVER)
        {
            final long sourceMac = MacAddress.read(buffer, frameOffset + EthernetHeader.SRC_MAC_OFFSET);
            // A later fragment carries no transport header, so no partial checksum: its virtio header goes as is.
            if (deliver(buffer, frameOffset, frameLength, false, serverId, sourceMac))
            {
                counters.increment(Counter.FRAGMENTS_FOLLOWED);
            }
            return;
        }
        final int held = fragments.hold(p.srcAddr(), p.dstAddr(), p.protocol(), p.ipId(), buffer, frameOffset,
            frameLength, nowNs);
        counters.increment(held == FragmentTable.HELD ? Counter.FRAGMENTS_HELD : Counter.DROP_FRAGMENT_HOLD_FULL);
    }

    /** The first fragment went to {@code serverId}: its later fragments, held or still to come, follow it. */
    private void followFragments(
        final int src, final int dst, final int protocol, final int ipId, final int serverId, final long sourceMac)
    {
        if (!fragments.remember(src, dst, protocol, ipId, serverId, nowNs))
        {
            counters.increment(Counter.DROP_FRAGMENT_TABLE_FULL);
        }
        final int released = fragments.release(src, dst, protocol, ipId);
        final UnsafeBuffer held = fragments.holdBuffer();
        for (int i = 0; i < released; i++)
        {
            final int slot = fragments.releasedSlot(i);
            if (deliver(held, fragments.heldFrameOffset(slot), fragments.heldFrameLength(slot), false, serverId,
                sourceMac))
            {
                counters.increment(Counter.FRAGMENTS_RELEASED);
            }
        }
    }

    private void discardHeldFragments(final boolean firstFragment)
    {
        if (firstFragment)
        {
            fragments.discard(parser.srcAddr(), parser.dstAddr(), parser.protocol(), parser.ipId());
        }
    }

    /** Remembers the L2 next hop back to a client (allocation-free: the map never grows past its capacity). */
    private void rememberClient(final int clientAddr, final long sourceMac)
    {
        if (clientMacs.size() >= CLIENT_MAC_CAPACITY)
        {
            clientMacs.clear();
        }
        clientMacs.put(clientAddr & ADDRESS_MASK, sourceMac);
    }

    /**
     * Picks the real server for a new connection (through its persistence template when the service is
     * persistent) and enters the connection; NO_ENTRY after counting the reason when it cannot.
     */
    private int schedule(
        final VirtualService service, final int protocol,
        final int clientAddr, final int clientPort, final int vaddr, final int vport)
    {
        int template = ConnectionTable.NO_ENTRY;
        RealServer server = null;
        if (service.isPersistent())
        {
            final int clientNet = clientAddr & service.persistenceNetmask();
            template = connections.lookupTemplate(protocol, clientNet, service.templateAddress(), service.templatePort());
            if (template != ConnectionTable.NO_ENTRY)
            {
                final RealServer bound = table.server(connections.serverId(template));
                // IPVS ip_vs_check_template: a template whose server went away is invalidated; a quiesced (weight 0)
                // server keeps its persistent clients unless expire_quiescent_template is set.
                final boolean quiescedAway = expireQuiescentTemplate && bound != null && bound.weight() == 0;
                if (bound != null && bound.isAvailable() && !quiescedAway)
                {
                    server = bound;
                    connections.touchTemplate(template, nowNs);
                }
                else
                {
                    if (quiescedAway)
                    {
                        counters.increment(Counter.TEMPLATES_EXPIRED_QUIESCENT);
                    }
                    connections.invalidateTemplate(template);
                    template = ConnectionTable.NO_ENTRY;
                }
            }
            if (server == null)
            {
                server = service.scheduler(worker).select(protocol, clientAddr, clientPort, vaddr, vport);
                if (server == null)
                {
                    counters.increment(Counter.DROP_NO_REAL_SERVER);
                    return ConnectionTable.NO_ENTRY;
                }
                template = connections.insertTemplate(protocol, clientNet, service.templateAddress(),
                    service.templatePort(), server.id(), service.persistenceTimeoutNs(), nowNs);
                if (template == ConnectionTable.NO_ENTRY)
                {
                    counters.increment(Counter.DROP_TABLE_FULL);
                    return ConnectionTable.NO_ENTRY;
                }
            }
        }
        else
        {
            server = service.scheduler(worker).select(protocol, clientAddr, clientPort, vaddr, vport);
            if (server == null)
            {
                counters.increment(Counter.DROP_NO_REAL_SERVER);
                return ConnectionTable.NO_ENTRY;
            }
        }
        final int handle = connections.insert(protocol, clientAddr, clientPort, vaddr, vport, server.id(), template, nowNs);
        if (handle == ConnectionTable.NO_ENTRY)
        {
            counters.increment(Counter.DROP_TABLE_FULL);
        }
        else
        {
            server.countConnection(worker);
        }
        return handle;
    }

    /**
     * A frame above the MTU may leave only as a GSO super-frame (TSO/GRO merged) that the kernel segments on the
     * way out, which it does when the virtio-net header that came with it goes back with it.
     */
    private static boolean isSuperFrame(final UnsafeBuffer buffer, final int frameOffset, final boolean hasVnet)
    {
        return hasVnet &&
            (buffer.getByte(frameOffset - VnetHeader.LENGTH + VnetHeader.GSO_TYPE_OFFSET) & ~VnetHeader.GSO_ECN) !=
            VnetHeader.GSO_NONE;
    }

    /**
     * veth and virtio hand frames over with only the pseudo-header sum in the transport checksum; without a
     * virtio-net header to pass that on, finish it here so the frame leaves correct.
     */
    private void completeChecksumIfPartial(final FrameEvent event, final UnsafeBuffer buffer)
    {
        if (event.hasVnetHeader() || (event.status() & TransportStatus.CSUM_NOT_READY) == 0 || !parser.hasPorts())
        {
            return;
        }
        final int l4 = parser.l4Offset();
        final int field = l4 + (parser.protocol() == Ipv4Header.PROTOCOL_TCP ?
            TcpHeader.CHECKSUM_OFFSET : UdpHeader.CHECKSUM_OFFSET);
        Checksums.completePartial(buffer, l4, field, parser.l3Offset() + parser.ipTotalLength());
        counters.increment(Counter.CHECKSUMS_COMPLETED);
    }

    /**
     * Another host announcing or answering for one of our VIPs is the other director of a pair (keepalived loads
     * the services on the backup too): remember its MAC so that frames it schedules to this host are not scheduled
     * again. Bounded; the first ones seen are kept.
     */
    private void learnPeerDirector(final UnsafeBuffer buffer, final int frameOffset, final int frameLength)
    {
        if (frameLength < ArpHeader.FRAME_LENGTH || peers.size() == PeerDirectors.CAPACITY)
        {
            return;
        }
        final int arp = frameOffset + ArpHeader.ETHERNET_HEADER_LENGTH;
        final int senderAddress = buffer.getInt(arp + ArpHeader.SPA_OFFSET, java.nio.ByteOrder.BIG_ENDIAN);
        final long senderMac = MacAddress.read(buffer, arp + ArpHeader.SHA_OFFSET);
        if (senderMac != directorMac && MacAddress.isUnicast(senderMac) && table.isVirtualAddress(senderAddress) &&
            peers.learn(senderMac))
        {
            counters.increment(Counter.PEER_DIRECTORS_LEARNED);
        }
    }


    @Override
    public void probe(final int targetAddress, final long dstMac)
    {
        final int offset = tx.claimScratch();
        final int length = ArpResponder.writeRequest(tx.scratch(), offset, directorMac, directorAddress, targetAddress,
            dstMac);
        tx.queueScratch(offset, length);
        counters.increment(Counter.ARP_REQUESTS);
    }

    @Override
    public void reachabilityChanged(final int address, final boolean reachable)
    {
        final RealServer[] servers = table.serversById();
        for (int id = 0; id < servers.length; id++)
        {
            if (servers[id] != null && table.method(id) != ForwardingMethod.LOCAL && table.nextHop(id) == address)
            {
                servers[id].neighbourReachable(reachable);
            }
        }
    }

    @Override
    public void onCountersChanged(
        final int serverId, final int activeDelta, final int inactiveDelta, final int persistentDelta)
    {
        final RealServer server = table.server(serverId);
        if (server == null)
        {
            return;
        }
        // A state change moves one connection between the counts without a threshold check, as set_tcp_state does.
        if (activeDelta == 1 && inactiveDelta == -1)
        {
            server.inactiveToActive(worker);
        }
        else if (activeDelta == -1 && inactiveDelta == 1)
        {
            server.activeToInactive(worker);
        }
        else
        {
            if (activeDelta != 0)
            {
                server.addActiveConns(worker, activeDelta);
            }
            if (inactiveDelta != 0)
            {
                server.addInactiveConns(worker, inactiveDelta);
            }
            if (persistentDelta != 0)
            {
                server.addPersistentConns(worker, persistentDelta);
            }
        }
    }
}
