package io.jlvs.healthcheck;

import io.jlvs.arp.ArpResponder;
import io.jlvs.arp.MacAddress;
import io.jlvs.arp.NeighbourTable;
import io.jlvs.config.ForwardingMethod;
import io.jlvs.config.PathCheck;
import io.jlvs.config.VirtualAddress;
import io.jlvs.dataplane.codec.TcpHeader;
import io.jlvs.dataplane.route.RouteTable;
import io.jlvs.dataplane.transport.FrameSink;
import io.jlvs.dataplane.transport.PacketTransport;
import io.jlvs.dataplane.transport.TransportException;
import io.jlvs.dataplane.transport.VnetHeader;
import io.jlvs.scheduler.Ipv4;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * jlvs' {@code PATH_CHECK} (see {@link PathCheck}): one attempt sends a TCP SYN to each VIP of the service the way the
 * director forwards a client's (DR: to the real server's MAC; TUN: in IPIP to the real server) and passes when every
 * one is answered from its VIP:port with a SYN-ACK or a RST within the connect timeout; a SYN-ACK is then reset.
 * <p>
 * An attempt opens its own packet socket on the director interface, on the calling thread and so in the namespace
 * its {@link CheckContext} runs it in, and closes it before returning. The kernel hands that socket only the frames
 * that can answer the probe ({@link PathProbeFilter}), so a busy interface costs the attempt nothing; the frames that
 * pass are still checked one by one ({@link PathProbeReply}). The probe leaves from the interface's own IPv4 address and a random port
 * of the dynamic range; unanswered SYNs are sent again each second as the kernel's connect would. The next hop's MAC
 * comes from the director's neighbour cache when {@link PathProbeOptions} gives one, else from an ARP request sent
 * on the probe socket. The director's own kernel, which never sent the SYN, answers a SYN-ACK with a RST too; ours
 * goes the forwarding path, so it always reaches the server. Runs on a checker thread, never on a dataplane thread.
 */
public final class PathChecker implements Checker
{
    /** Linux's {@code TCP_TIMEOUT_INIT}: an unanswered SYN is sent again after 1 s, as a connect() would. */
    static final long SYN_RETRY_NS = TimeUnit.SECONDS.toNanos(1);
    /** Linux's {@code retrans_time} for neighbours: an unanswered ARP request is repeated after 1 s. */
    static final long ARP_RETRY_NS = TimeUnit.SECONDS.toNanos(1);
    /** IANA's dynamic ports 49152..65535 (RFC 6335): never a service's, so the probe's port says it is a client. */
    static final int FIRST_SOURCE_PORT = 49_152;
    static final int SOURCE_PORT_COUNT = 16_384;
    /** keepalived's floor for {@code connect_timeout}, as {@code Endpoints} applies it to TCP_CHECK: one second. */
    static final long MIN_TIMEOUT_MS = 1_000;
    /** Frames handed over per poll; any number works (the filter lets through only a handful per attempt). */
    private static final int RECEIVE_BATCH = 64;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final int WORD_MASK = 0xFFFF;

    private final PathCheck config;
    private final PathProbeOptions options;
    private final ProbeHost host;

    public PathChecker(final PathCheck config, final PathProbeOptions options)
    {
        this(config, options, ProbeHost.LINUX);
    }

    PathChecker(final PathCheck config, final PathProbeOptions options, final ProbeHost host)
    {
        this.config = config;
        this.options = options;
        this.host = host;
    }

    @Override
    public CheckOutcome check()
    {
        final long timeoutMs = config.connectTimeoutMs() <= 0 ? MIN_TIMEOUT_MS : config.connectTimeoutMs();
        final long deadlineNs = host.nanoTime() + timeoutMs * NANOS_PER_MILLI;
        final int server = config.realServer();
        final boolean tunnel = config.method() == ForwardingMethod.TUN;
        String interfaceName = options.interfaceName();
        // DR hands the frame to the server itself, as the director does; TUN to the next hop of the routing table.
        int nextHop = server;
        if (interfaceName == null || tunnel)
        {
            final RouteTable routes;
            try
            {
                routes = host.routes();
            }
            catch (final IOException ex)
            {
                return fail("cannot read the routing table: " + ex.getMessage());
            }
            final String via = routes.interfaceFor(server);
            if (via == null)
            {
                return fail("no route to " + Ipv4.toString(server));
            }
            if (interfaceName != null && !interfaceName.equals(via))
            {
                return fail(Ipv4.toString(server) + " is reached through " + via + ", not the director interface " +
                    interfaceName);
            }
            interfaceName = via;
            if (tunnel)
            {
                nextHop = routes.nextHop(server);
            }
        }
        final PacketTransport transport;
        try
        {
            transport = host.open(interfaceName, config.targets());
        }
        catch (final TransportException ex)
        {
            return fail("cannot open a packet socket on " + interfaceName + ": " + ex.getMessage());
        }
        try (transport)
        {
            return new Attempt(transport, nextHop, deadlineNs, timeoutMs).run();
        }
    }

    @Override
    public String toString()
    {
        return "PATH_CHECK " + describeTargets() + " via " + Ipv4.toString(config.realServer()) + " (" +
            config.method() + ")";
    }

    private String describeTargets()
    {
        final List<String> targets = new ArrayList<>();
        for (final VirtualAddress target : config.targets())
        {
            targets.add(target.toString());
        }
        return String.join(",", targets);
    }

    private CheckOutcome fail(final String why)
    {
        return CheckOutcome.fail(this + ": " + why);
    }

    /** One attempt's socket, frames and answers; receives its frames as the transport's sink. */
    private final class Attempt implements FrameSink
    {
        private final PacketTransport transport;
        private final int nextHop;
        private final long deadlineNs;
        private final long timeoutMs;
        private final int director;
        private final int headerRoom;
        private final int slotBytes;
        private final UnsafeBuffer frames;
        private final List<VirtualAddress> targets = config.targets();
        private final int[] ports;
        private final int[] isns;
        private final int[] answers;
        /** A matching answer from a station other than the real server (DR): what the failure names. */
        private final long[] strangers;
        private final boolean[] reset;
        private final PathProbeReply reply = new PathProbeReply();
        private PathProbeFrames probe;
        private long nextHopMac = NeighbourTable.NO_MAC;
        private boolean resolving;
        private int unanswered;
        private boolean resetsDue;
        private int nextIpId;
        /** Frames the kernel took so far, over every flush. */
        private long flushed;

        Attempt(final PacketTransport transport, final int nextHop, final long deadlineNs, final long timeoutMs)
        {
            this.transport = transport;
            this.nextHop = nextHop;
            this.deadlineNs = deadlineNs;
            this.timeoutMs = timeoutMs;
            this.director = transport.ipv4Address();
            // Frames are queued where they are written; each target's has a slot of its own until it is flushed.
            this.headerRoom = transport.vnetHeader() ? VnetHeader.LENGTH : 0;
            this.slotBytes = headerRoom + PathProbeFrames.MAX_FRAME_LENGTH;
            this.frames = new UnsafeBuffer(ByteBuffer.allocateDirect(slotBytes * targets.size()));
            this.ports = new int[targets.size()];
            this.isns = new int[targets.size()];
            this.answers = new int[targets.size()];
            this.strangers = new long[targets.size()];
            this.reset = new boolean[targets.size()];
            this.nextIpId = host.randomInt() & WORD_MASK;
        }

        CheckOutcome run()
        {
            if (director == 0)
            {
                return fail(transport.interfaceName() + " has no IPv4 address to send the probe from");
            }
            nextHopMac = knownMac();
            if (nextHopMac == NeighbourTable.NO_MAC && !resolve())
            {
                return fail("no ARP reply from " + Ipv4.toString(nextHop) + " on " + transport.interfaceName() +
                    " within " + timeoutMs + " ms");
            }
            probe = new PathProbeFrames(config.method(), transport.macAddress(), nextHopMac, director,
                config.realServer(), transport.mtu(), host.randomInt());
            for (int i = 0; i < targets.size(); i++)
            {
                ports[i] = sourcePort(i);
                isns[i] = host.randomInt();
                strangers[i] = NeighbourTable.NO_MAC;
            }
            unanswered = targets.size();
            if (!sendSyns())
            {
                return fail("the probe could not be sent on " + transport.interfaceName() + " (" +
                    transport.counters() + ")");
            }
            long nextSynNs = host.nanoTime() + SYN_RETRY_NS;
            while (unanswered > 0)
            {
                final long nowNs = host.nanoTime();
                if (nowNs - deadlineNs >= 0)
                {
                    break;
                }
                if (nowNs - nextSynNs >= 0)
                {
                    sendSyns();
                    nextSynNs += SYN_RETRY_NS;
                }
                if (transport.receive(this, RECEIVE_BATCH) == 0)
                {
                    host.idle();
                }
                if (resetsDue)
                {
                    sendResets();
                }
            }
            return verdict();
        }

        @Override
        public void onFrame(
            final DirectBuffer buffer, final int frameOffset, final int frameLength, final int vnetOffset,
            final int status, final long rxNs)
        {
            if (resolving)
            {
                final long mac = PathProbeReply.arpReplyMac(buffer, frameOffset, frameLength, nextHop, director);
                if (mac != NeighbourTable.NO_MAC)
                {
                    nextHopMac = mac;
                    resolving = false;
                }
                return;
            }
            if (!reply.read(buffer, frameOffset, frameLength))
            {
                return;
            }
            for (int i = 0; i < answers.length; i++)
            {
                if (answers[i] != PathProbeReply.NONE)
                {
                    continue;
                }
                final VirtualAddress target = targets.get(i);
                final int answer = reply.answers(director, ports[i], target.address(), target.port(), isns[i]);
                if (answer == PathProbeReply.NONE)
                {
                    continue;
                }
                if (config.method() == ForwardingMethod.DR && reply.sourceMac() != nextHopMac)
                {
                    // A server without the VIP but with ip_forward=1 routes the SYN back to the director, which
                    // forwards it to another server: that one's answer proves nothing about this one.
                    strangers[i] = reply.sourceMac();
                    continue;
                }
                answers[i] = answer;
                unanswered--;
                resetsDue |= answer == PathProbeReply.SYN_ACK;
                return;
            }
        }

        private long knownMac()
        {
            if (options.neighbours() == null)
            {
                return NeighbourTable.NO_MAC;
            }
            final long mac = options.neighbours().applyAsLong(nextHop);
            return MacAddress.isUnicast(mac) ? mac : NeighbourTable.NO_MAC;
        }

        /** Asks for the next hop's MAC with a broadcast ARP request (repeated each second) until the deadline. */
        private boolean resolve()
        {
            resolving = true;
            long nextRequestNs = host.nanoTime();
            while (resolving)
            {
                final long nowNs = host.nanoTime();
                if (nowNs - deadlineNs >= 0)
                {
                    resolving = false;
                    return false;
                }
                if (nowNs - nextRequestNs >= 0)
                {
                    final int length = ArpResponder.writeRequest(frames, headerRoom, transport.macAddress(), director,
                        nextHop, NeighbourTable.BROADCAST_MAC);
                    send(0, length);
                    flush();
                    nextRequestNs = nowNs + ARP_RETRY_NS;
                }
                if (transport.receive(this, RECEIVE_BATCH) == 0)
                {
                    host.idle();
                }
            }
            return true;
        }

        /** A random port of the dynamic range that no other target of this attempt uses. */
        private int sourcePort(final int target)
        {
            while (true)
            {
                final int port = FIRST_SOURCE_PORT + Math.floorMod(host.randomInt(), SOURCE_PORT_COUNT);
                boolean taken = false;
                for (int i = 0; i < target; i++)
                {
                    taken |= ports[i] == port;
                }
                if (!taken)
                {
                    return port;
                }
            }
        }

        /** (Re)sends the SYN of every target not answered yet; false when the kernel took none of them. */
        private boolean sendSyns()
        {
            final long before = flushed;
            for (int i = 0; i < targets.size(); i++)
            {
                if (answers[i] == PathProbeReply.NONE)
                {
                    write(i, isns[i], TcpHeader.FLAG_SYN);
                }
            }
            flush();
            return flushed > before;
        }

        /** A RST for every SYN-ACK, so that the server drops the half-open connection at once. */
        private void sendResets()
        {
            resetsDue = false;
            for (int i = 0; i < targets.size(); i++)
            {
                if (answers[i] == PathProbeReply.SYN_ACK && !reset[i])
                {
                    // Once: a SYN-ACK the server sends again before it gets this is the director kernel's to reset.
                    write(i, isns[i] + 1, TcpHeader.FLAG_RST);
                    reset[i] = true;
                }
            }
            flush();
        }

        /** Queues target {@code target}'s segment; nothing when the tunnel refuses it (then nothing can be sent). */
        private void write(final int target, final int sequence, final int flags)
        {
            final VirtualAddress vip = targets.get(target);
            final int length = probe.write(frames, target * slotBytes + headerRoom, vip.address(), vip.port(),
                ports[target], sequence, flags, nextIpId);
            nextIpId = (nextIpId + 1) & WORD_MASK;
            if (length > 0)
            {
                send(target, length);
            }
        }

        /** Queues slot {@code slot}'s frame (with a virtio header that asks for nothing, when the socket has them). */
        private boolean send(final int slot, final int frameLength)
        {
            final int start = slot * slotBytes;
            if (headerRoom > 0)
            {
                frames.setMemory(start, headerRoom, (byte)0);
            }
            if (transport.queue(frames.addressOffset() + start, headerRoom + frameLength))
            {
                return true;
            }
            // The batch is full: send what is queued (the slots stay untouched until then) and queue again.
            flush();
            return transport.queue(frames.addressOffset() + start, headerRoom + frameLength);
        }

        private void flush()
        {
            flushed += transport.flush();
        }

        private CheckOutcome verdict()
        {
            if (resetsDue)
            {
                sendResets();
            }
            if (unanswered == 0)
            {
                return CheckOutcome.pass();
            }
            final List<String> missing = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++)
            {
                if (answers[i] != PathProbeReply.NONE)
                {
                    continue;
                }
                final String target = targets.get(i).toString();
                missing.add(strangers[i] == NeighbourTable.NO_MAC ?
                    "no answer from " + target + " within " + timeoutMs + " ms (does the real server hold the VIP?)" :
                    target + " answered from " + MacAddress.toString(strangers[i]) + ", not from the real server's " +
                        MacAddress.toString(nextHopMac) + " (the real server does not hold the VIP and routes the " +
                        "probe on?)");
            }
            return fail(String.join("; ", missing));
        }
    }
}
