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
import io.jlvs.dataplane.codec.FrameParser;
import io.jlvs.dataplane.codec.Ipv4Header;
import io.jlvs.dataplane.codec.TcpHeader;
import io.jlvs.dataplane.codec.UdpHeader;
import io.jlvs.dataplane.counter.Counter;
import io.jlvs.dataplane.counter.Counters;
import io.jlvs.dataplane.pipeline.FrameEvent;
import io.jlvs.dataplane.service.ForwardingMethod;
import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.dataplane.service.VirtualService;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportStatus;
import io.jlvs.dataplane.transport.VnetHeader;
import io.jlvs.scheduler.RealServer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Supplier;

/**
 * The forwarding thread: where every frame is decided. For each slot of the ring it parses the frame, answers ARP
 * for the VIPs, finds the virtual service, looks up or schedules the connection, rewrites the frame for its real
 * server and queues it for TX; on {@code endOfBatch} it flushes TX once. Ticks give it its housekeeping turn:
 * neighbour probes, gratuitous ARP, connection expiry and control-plane tasks.
 * <p>
 * It is the only writer of the connection table, the neighbour cache, the scheduler state, the real servers'
 * counters and its own counters. Per frame it allocates nothing, locks nothing, logs nothing and throws nothing.
 */
public final class ForwardingHandler implements EventHandler<FrameEvent>, NeighbourTable.ProbeSink, ConnectionListener
{
    /** Connection-table expiry work per tick: bounded so a tick never stalls forwarding. */
    private static final int EXPIRY_BUDGET_PER_TICK = 256;
    private static final int CONTROL_TASKS_PER_TICK = 8;
    private static final int SCRATCH_SLOTS = 256;
    /** keepalived pairs are two directors; a few more covers a VRRP group without letting ARP fill memory. */
    private static final int MAX_PEER_DIRECTORS = 8;
    private static final int TCP_NEW_CONNECTION_MASK = TcpHeader.FLAG_SYN | TcpHeader.FLAG_RST;
    private static final int VNET_FLAGS_KEPT_ON_TX = VnetHeader.F_NEEDS_CSUM;

    private final PacketTransport transport;
    private final Counters counters;
    private final Supplier<ServiceTable> published;
    private final ConnectionTable connections;
    private final NeighbourTable neighbours;
    private final ArpResponder arp;
    private final ManyToOneConcurrentArrayQueue<Runnable> controlTasks;
    private final FrameParser parser = new FrameParser();
    private final ScratchFrames scratch = new ScratchFrames(SCRATCH_SLOTS);
    private final long directorMac;
    private final int directorAddress;
    private final int mtu;
    private final boolean transportHasVnet;
    private final boolean expireQuiescentTemplate;
    private final boolean learnPeerDirectors;
    private final boolean answerArp;

    private ServiceTable table = ServiceTable.EMPTY;
    private boolean announcePending;
    private boolean tableCheckDue;
    private int queuedFrames;
    private int localQueued;
    private final long[] peerDirectorMacs = new long[MAX_PEER_DIRECTORS];
    private int peerDirectorCount;
    private long nowNs;

    public ForwardingHandler(
        final PacketTransport transport,
        final Counters counters,
        final Supplier<ServiceTable> published,
        final int connectionCapacity,
        final Timeouts timeouts,
        final boolean expireQuiescentTemplate,
        final boolean learnPeerDirectors,
        final boolean answerArp,
        final NeighbourTable neighbours,
        final ArpResponder arp,
        final ManyToOneConcurrentArrayQueue<Runnable> controlTasks)
    {
        this.transport = transport;
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
        this.transportHasVnet = transport.vnetHeader();
        this.expireQuiescentTemplate = expireQuiescentTemplate;
        this.learnPeerDirectors = learnPeerDirectors;
        this.answerArp = answerArp;
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
            onFrame(event);
        }
        if (endOfBatch)
        {
            flush();
        }
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
                    neighbours.lookup(servers[id].address()) != NeighbourTable.NO_MAC);
            }
        }
        announcePending = true;
    }

    private void onTick()
    {
        if (announcePending && answerArp)
        {
            announcePending = false;
            for (final int vip : table.virtualAddresses())
            {
                final int offset = claimScratch();
                final int length = ArpResponder.writeGratuitousArp(scratch.buffer(), offset + vnetLength(),
                    directorMac, vip);
                queueScratch(offset, length);
                counters.increment(Counter.GRATUITOUS_ARPS);
            }
        }
        neighbours.poll(nowNs, this);
        connections.expire(nowNs, EXPIRY_BUDGET_PER_TICK);
        for (final VirtualService service : table.services())
        {
            service.scheduler().expire(nowNs);
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
        if (learnPeerDirectors)
        {
            learnPeerDirector(buffer, frameOffset, frameLength);
        }
        final int offset = claimScratch();
        final int length = arp.onArpFrame(buffer, frameOffset, frameLength, scratch.buffer(),
            offset + vnetLength(), nowNs);
        if (length > 0 && answerArp)
        {
            queueScratch(offset, length);
            counters.increment(Counter.ARP_REPLIES);
        }
        else
        {
            counters.increment(Counter.DROP_ARP_NOT_FOR_US);
        }
    }

    private void onIpv4(
        final FrameEvent event, final UnsafeBuffer buffer, final int frameOffset, final int frameLength)
    {
        final FrameParser p = parser;
        final int protocol = p.protocol();
        if (!p.hasPorts())
        {
            if (table.isVirtualAddress(p.dstAddr()))
            {
                counters.increment(p.isNonFirstFragment() ? Counter.DROP_FRAGMENT :
                    protocol == Ipv4Header.PROTOCOL_ICMP ? Counter.DROP_ICMP : Counter.DROP_NOT_FOR_US);
            }
            else
            {
                counters.increment(Counter.DROP_NOT_FOR_US);
            }
            return;
        }
        final VirtualService service = table.lookup(protocol, p.dstAddr(), p.dstPort());
        if (service == null)
        {
            counters.increment(Counter.DROP_NOT_FOR_US);
            return;
        }
        final long sourceMac = MacAddress.read(buffer, frameOffset + EthernetHeader.SRC_MAC_OFFSET);
        if (service.excludesSource(sourceMac) || (learnPeerDirectors && isPeerDirector(sourceMac)))
        {
            // The peer director of a master/backup pair scheduled this frame to us as one of its real servers:
            // scheduling it again could send it back, and the two would bounce it for ever. The host's stack,
            // which holds the VIP on lo, takes it: directly, or through the local path when VIP frames are kept
            // from the stack (this host is a Local real server too).
            counters.increment(Counter.PEER_DIRECTOR_FRAMES);
            if (table.localTransport() != null)
            {
                deliverLocally(event, buffer, frameOffset, frameLength);
            }
            return;
        }

        final int tcpFlags = p.tcpFlags();
        final boolean tcp = protocol == Ipv4Header.PROTOCOL_TCP;
        final boolean syn = tcp && (tcpFlags & TCP_NEW_CONNECTION_MASK) == TcpHeader.FLAG_SYN;
        int handle = connections.lookup(protocol, p.srcAddr(), p.srcPort(), p.dstAddr(), p.dstPort());
        if (handle != ConnectionTable.NO_ENTRY && syn && connections.isReusable(handle))
        {
            // IPVS conn_reuse_mode: a new SYN on a closing entry is a new connection; schedule it afresh.
            connections.remove(handle);
            handle = ConnectionTable.NO_ENTRY;
        }
        if (handle == ConnectionTable.NO_ENTRY)
        {
            final boolean midConnection = tcp && !syn;
            if (midConnection && ((tcpFlags & TcpHeader.FLAG_RST) != 0 || !service.schedulesMidConnection()))
            {
                counters.increment(Counter.DROP_NO_CONNECTION);
                return;
            }
            handle = schedule(service, protocol, p.srcAddr(), p.srcPort(), p.dstAddr(), p.dstPort());
            if (handle == ConnectionTable.NO_ENTRY)
            {
                return;
            }
            counters.increment(midConnection ? Counter.MID_CONNECTION_SCHEDULED : Counter.NEW_CONNECTIONS);
        }
        connections.onPacket(handle, tcpFlags, nowNs);

        final int serverId = connections.serverId(handle);
        final RealServer server = table.server(serverId);
        if (server == null)
        {
            counters.increment(Counter.DROP_NO_REAL_SERVER);
            return;
        }
        if (table.method(serverId) == ForwardingMethod.LOCAL)
        {
            if (deliverLocally(event, buffer, frameOffset, frameLength))
            {
                server.countForwarded(parser.ipTotalLength());
            }
            return;
        }
        final long mac = neighbours.lookup(server.address());
        if (mac == NeighbourTable.NO_MAC)
        {
            counters.increment(Counter.DROP_NO_NEIGHBOUR);
            return;
        }
        if (mac == sourceMac)
        {
            // Sending a frame back to the host it came from: that host scheduled it to us, we would schedule it
            // back, for ever (two directors that are also real servers, without ping-pong protection).
            counters.increment(Counter.DROP_LOOP);
            return;
        }
        if (frameLength - EthernetHeader.LENGTH > mtu)
        {
            if (!isSuperFrame(event, buffer))
            {
                counters.increment(Counter.DROP_OVERSIZE);
                return;
            }
            counters.increment(Counter.SUPER_FRAMES_FORWARDED);
        }
        if (!event.hasVnetHeader() && (event.status() & TransportStatus.CSUM_NOT_READY) != 0)
        {
            completeChecksum(buffer, protocol);
        }
        DirectRouting.rewrite(buffer, frameOffset, mac, directorMac);
        if (queueEvent(event, buffer, frameLength))
        {
            server.countForwarded(parser.ipTotalLength());
        }
    }

    /**
     * The Local method: the frame goes into the host's own stack through the local veth, as a frame received there
     * (batched on that transport like any TX).
     */
    private boolean deliverLocally(
        final FrameEvent event, final UnsafeBuffer buffer, final int frameOffset, final int frameLength)
    {
        final PacketTransport local = table.localTransport();
        if (local == null)
        {
            counters.increment(Counter.DROP_NO_LOCAL_PATH);
            return false;
        }
        if (!event.hasVnetHeader() && (event.status() & TransportStatus.CSUM_NOT_READY) != 0)
        {
            completeChecksum(buffer, parser.protocol());
        }
        DirectRouting.rewrite(buffer, frameOffset, table.localMac(), directorMac);
        final boolean vnet = local.vnetHeader();
        if (vnet)
        {
            prepareVnetHeader(event, buffer);
        }
        final long address = buffer.addressOffset() + (vnet ? FrameEvent.VNET_OFFSET : FrameEvent.FRAME_OFFSET);
        final int length = (vnet ? VnetHeader.LENGTH : 0) + frameLength;
        if (!local.queue(address, length))
        {
            flushLocal();
            if (!local.queue(address, length))
            {
                counters.increment(Counter.DROP_TX_FULL);
                return false;
            }
        }
        localQueued++;
        counters.increment(Counter.DELIVERED_LOCALLY);
        return true;
    }

    private void flushLocal()
    {
        if (localQueued > 0)
        {
            localQueued = 0;
            final PacketTransport local = table.localTransport();
            if (local != null)
            {
                local.flush();
            }
        }
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
                server = service.scheduler().select(protocol, clientAddr, clientPort, vaddr, vport);
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
            server = service.scheduler().select(protocol, clientAddr, clientPort, vaddr, vport);
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
            server.countConnection();
        }
        return handle;
    }

    /**
     * A frame above the MTU may leave only as a GSO super-frame (TSO/GRO merged) that the kernel segments on the
     * way out, which it does when the virtio-net header that came with it goes back with it.
     */
    private static boolean isSuperFrame(final FrameEvent event, final UnsafeBuffer buffer)
    {
        return event.hasVnetHeader() &&
            (buffer.getByte(FrameEvent.VNET_OFFSET + VnetHeader.GSO_TYPE_OFFSET) & ~VnetHeader.GSO_ECN) !=
            VnetHeader.GSO_NONE;
    }

    /**
     * veth and virtio hand frames over with only the pseudo-header sum in the transport checksum; without a
     * virtio-net header to pass that on, finish it here so the frame leaves correct.
     */
    private void completeChecksum(final UnsafeBuffer buffer, final int protocol)
    {
        final int l4 = parser.l4Offset();
        final int field = l4 + (protocol == Ipv4Header.PROTOCOL_TCP ? TcpHeader.CHECKSUM_OFFSET : UdpHeader.CHECKSUM_OFFSET);
        Checksums.completePartial(buffer, l4, field, parser.l3Offset() + parser.ipTotalLength());
        counters.increment(Counter.CHECKSUMS_COMPLETED);
    }

    private boolean queueEvent(final FrameEvent event, final UnsafeBuffer buffer, final int frameLength)
    {
        final long slotAddress = buffer.addressOffset();
        final boolean ok;
        if (transportHasVnet)
        {
            prepareVnetHeader(event, buffer);
            ok = queue(slotAddress + FrameEvent.VNET_OFFSET, VnetHeader.LENGTH + frameLength);
        }
        else
        {
            ok = queue(slotAddress + FrameEvent.FRAME_OFFSET, frameLength);
        }
        if (ok)
        {
            counters.increment(Counter.FORWARDED);
            counters.add(Counter.FORWARDED_BYTES, frameLength);
        }
        return ok;
    }

    /** Makes the virtio-net header in front of the frame fit for TX. */
    private static void prepareVnetHeader(final FrameEvent event, final UnsafeBuffer buffer)
    {
        if (event.hasVnetHeader())
        {
            // DATA_VALID describes what the receiving side verified; it has no meaning on transmit.
            final int flagsOffset = FrameEvent.VNET_OFFSET + VnetHeader.FLAGS_OFFSET;
            buffer.putByte(flagsOffset, (byte)(buffer.getByte(flagsOffset) & VNET_FLAGS_KEPT_ON_TX));
        }
        else
        {
            buffer.setMemory(FrameEvent.VNET_OFFSET, VnetHeader.LENGTH, (byte)0);
        }
    }

    private boolean queue(final long address, final int length)
    {
        if (transport.queue(address, length))
        {
            queuedFrames++;
            return true;
        }
        flushTransport();
        if (transport.queue(address, length))
        {
            queuedFrames++;
            return true;
        }
        counters.increment(Counter.DROP_TX_FULL);
        return false;
    }

    private int vnetLength()
    {
        return transportHasVnet ? VnetHeader.LENGTH : 0;
    }

    /**
     * Another host announcing or answering for one of our VIPs is the other director of a pair (keepalived loads
     * the services on the backup too): remember its MAC so that frames it schedules to this host are not scheduled
     * again. Bounded; the first ones seen are kept.
     */
    private void learnPeerDirector(final UnsafeBuffer buffer, final int frameOffset, final int frameLength)
    {
        if (frameLength < ArpHeader.FRAME_LENGTH || peerDirectorCount == peerDirectorMacs.length)
        {
            return;
        }
        final int arp = frameOffset + ArpHeader.ETHERNET_HEADER_LENGTH;
        final int senderAddress = buffer.getInt(arp + ArpHeader.SPA_OFFSET, java.nio.ByteOrder.BIG_ENDIAN);
        final long senderMac = MacAddress.read(buffer, arp + ArpHeader.SHA_OFFSET);
        if (senderMac != directorMac && MacAddress.isUnicast(senderMac) && table.isVirtualAddress(senderAddress) &&
            !isPeerDirector(senderMac))
        {
            peerDirectorMacs[peerDirectorCount++] = senderMac;
            counters.increment(Counter.PEER_DIRECTORS_LEARNED);
        }
    }

    private boolean isPeerDirector(final long mac)
    {
        for (int i = 0; i < peerDirectorCount; i++)
        {
            if (peerDirectorMacs[i] == mac)
            {
                return true;
            }
        }
        return false;
    }

    /** A zeroed scratch slot (its first bytes are the zero virtio-net header when the transport wants one). */
    private int claimScratch()
    {
        if (scratch.isFull())
        {
            flush();
        }
        return scratch.claim();
    }

    private void queueScratch(final int offset, final int frameLength)
    {
        queue(scratch.buffer().addressOffset() + offset, vnetLength() + frameLength);
    }

    private void flushTransport()
    {
        if (queuedFrames > 0)
        {
            queuedFrames = 0;
            transport.flush();
            counters.increment(Counter.TX_FLUSHES);
        }
    }

    private void flush()
    {
        flushTransport();
        flushLocal();
        scratch.reset();
    }

    @Override
    public void probe(final int targetAddress, final long dstMac)
    {
        final int offset = claimScratch();
        final int length = ArpResponder.writeRequest(scratch.buffer(), offset + vnetLength(), directorMac,
            directorAddress, targetAddress, dstMac);
        queueScratch(offset, length);
        counters.increment(Counter.ARP_REQUESTS);
    }

    @Override
    public void reachabilityChanged(final int address, final boolean reachable)
    {
        for (final RealServer server : table.serversById())
        {
            if (server != null && server.address() == address)
            {
                server.neighbourReachable(reachable);
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
            server.inactiveToActive();
        }
        else if (activeDelta == -1 && inactiveDelta == 1)
        {
            server.activeToInactive();
        }
        else
        {
            if (activeDelta != 0)
            {
                server.addActiveConns(activeDelta);
            }
            if (inactiveDelta != 0)
            {
                server.addInactiveConns(inactiveDelta);
            }
            if (persistentDelta != 0)
            {
                server.addPersistentConns(persistentDelta);
            }
        }
    }
}
