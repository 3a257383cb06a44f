package io.jlvs.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A lab host that originates traffic (a client, or the probe): every socket it uses is opened inside its namespace,
 * so requests leave through its eth0 exactly as a separate machine's would.
 */
public final class ClientHost
{
    /** Largest answer a lab server sends (its name), with room to spare. */
    private static final int MAX_ANSWER_BYTES = 2048;

    private final String namespace;
    private final int address;

    ClientHost(final String namespace, final int address)
    {
        this.namespace = namespace;
        this.address = address;
    }

    public String namespace()
    {
        return namespace;
    }

    /** This host's own address, host byte order. */
    public int address()
    {
        return address;
    }

    /** A new TCP connection to {@code address:80}, one GET, the body; connect and read time out. */
    public String httpGet(final int address, final String path) throws IOException
    {
        try (KeepAliveClient connection = openKeepAlive(address))
        {
            return connection.get(path);
        }
    }

    /** One TCP connection to {@code address:80} for many requests. */
    public KeepAliveClient openKeepAlive(final int address) throws IOException
    {
        return KeepAliveClient.open(namespace, address, Lab.HTTP_PORT);
    }

    /**
     * Sends {@code payload} to {@code address:5353} from a connected socket and returns the answer as text (the
     * answering real server's name). Connected, so an answer from any other source address is not accepted, as a
     * real DR client would not.
     */
    public String udpRequest(final int address, final byte[] payload) throws IOException
    {
        final InetSocketAddress target = socketAddress(address, Lab.UDP_PORT);
        try (DatagramSocket socket = NamespaceSockets.open(namespace, () ->
        {
            final DatagramSocket opened = new DatagramSocket();
            opened.connect(target);
            return opened;
        }))
        {
            socket.setSoTimeout(KeepAliveClient.TIMEOUT_MS);
            socket.send(new DatagramPacket(payload, payload.length));
            final DatagramPacket answer = new DatagramPacket(new byte[MAX_ANSWER_BYTES], MAX_ANSWER_BYTES);
            socket.receive(answer);
            return new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends one datagram and does not wait for anything: enough to make this host's kernel ARP for
     * {@code address} (see {@link #neighbourMac}).
     */
    public void udpSend(final int address, final int port, final byte[] payload) throws IOException
    {
        final InetSocketAddress target = socketAddress(address, port);
        try (DatagramSocket socket = NamespaceSockets.open(namespace, DatagramSocket::new))
        {
            socket.send(new DatagramPacket(payload, payload.length, target));
        }
    }

    /** The MAC this host's neighbour table holds for {@code address} ({@code aa:bb:..}), or null when none. */
    public String neighbourMac(final int address) throws IOException
    {
        return Lab.neighbourMac(namespace, address);
    }

    @Override
    public String toString()
    {
        return namespace + "(" + LabAddresses.formatIpv4(address) + ")";
    }

    private static InetSocketAddress socketAddress(final int address, final int port) throws IOException
    {
        return new InetSocketAddress(InetAddress.getByAddress(LabAddresses.networkOrder(address)), port);
    }
}
