package io.jlvs.cli.ipvsadm;

import io.jlvs.dataplane.service.VirtualAddress;
import io.jlvs.dataplane.service.VirtualServiceSpec;
import io.jlvs.scheduler.Ipv4;

/**
 * What ipvsadm's {@code -t}, {@code -u} and {@code -f} name: a TCP or UDP service by VIP:port, or a fwmark service
 * by its number.
 *
 * @param protocol IP protocol number (6 TCP, 17 UDP); TCP for a fwmark service, as ipvsadm sets it.
 * @param address  VIP, host byte order; 0 for a fwmark service.
 * @param port     0..65535; 0 for a fwmark service.
 * @param fwmark   the mark, or 0 for an address service.
 */
public record ServiceAddress(int protocol, int address, int port, int fwmark)
{
    private static final int MAX_PORT = 0xFFFF;
    /** ipvsadm's {@code parse_fwmark}: a mark is a positive number that fits 32 unsigned bits. */
    private static final long MAX_FWMARK = 0xFFFF_FFFFL;

    public ServiceAddress
    {
        if (protocol != VirtualServiceSpec.TCP && protocol != VirtualServiceSpec.UDP)
        {
            throw new IllegalArgumentException("protocol must be TCP (6) or UDP (17), protocol=" + protocol);
        }
    }

    /** {@code -t VIP:PORT}. */
    public static ServiceAddress tcp(final String text)
    {
        return parse(VirtualServiceSpec.TCP, text, "virtual server");
    }

    /** {@code -u VIP:PORT}. */
    public static ServiceAddress udp(final String text)
    {
        return parse(VirtualServiceSpec.UDP, text, "virtual server");
    }

    /** {@code -f MARK}. */
    public static ServiceAddress fwmark(final String text)
    {
        final long mark;
        try
        {
            mark = Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("invalid fwmark value `" + text + "' specified");
        }
        if (mark <= 0 || mark > MAX_FWMARK)
        {
            throw new IllegalArgumentException("invalid fwmark value `" + text + "' specified");
        }
        return new ServiceAddress(VirtualServiceSpec.TCP, 0, 0, (int)mark);
    }

    /** An address service of {@code protocol}: {@code VIP:PORT} as ipvsadm reads it (numeric only). */
    static ServiceAddress parse(final int protocol, final String text, final String what)
    {
        final Endpoint endpoint = Endpoint.parse(text, what);
        if (!endpoint.hasPort())
        {
            // ipvsadm takes a service without a port as port 0, which needs persistence (checked with -p).
            return new ServiceAddress(protocol, endpoint.address(), 0, 0);
        }
        return new ServiceAddress(protocol, endpoint.address(), endpoint.port(), 0);
    }

    public boolean isFwmark()
    {
        return fwmark != 0;
    }

    /** Whether {@code spec} is this service: the same fwmark, or (not a fwmark service) protocol and a VIP:port. */
    public boolean matches(final VirtualServiceSpec spec)
    {
        if (isFwmark())
        {
            return spec.fwmark() == fwmark;
        }
        return spec.fwmark() == 0 && spec.protocol() == protocol &&
            spec.addresses().contains(new VirtualAddress(address, port));
    }

    /** ipvsadm's words for it: {@code -t 198.18.0.100:80}, {@code -u ...}, {@code -f 1}. */
    public String toArgs()
    {
        if (isFwmark())
        {
            return "-f " + Integer.toUnsignedString(fwmark);
        }
        return (protocol == VirtualServiceSpec.TCP ? "-t " : "-u ") + Ipv4.toString(address) + ':' + port;
    }

    @Override
    public String toString()
    {
        return isFwmark() ? "FWM " + Integer.toUnsignedString(fwmark) :
            (protocol == VirtualServiceSpec.TCP ? "TCP " : "UDP ") + Ipv4.toString(address) + ':' + port;
    }

    /** {@code address[:port]}, numeric, as ipvsadm's {@code parse_service} reads it for {@code -t} and {@code -r}. */
    record Endpoint(int address, int port, boolean hasPort)
    {
        static Endpoint parse(final String text, final String what)
        {
            final int colon = text.lastIndexOf(':');
            final String host = colon < 0 ? text : text.substring(0, colon);
            final int address;
            try
            {
                address = Ipv4.parse(host);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("illegal " + what + " address[:port] specified: '" + text +
                    "' (jlvs takes numeric IPv4 addresses only)");
            }
            if (colon < 0)
            {
                return new Endpoint(address, 0, false);
            }
            final String portText = text.substring(colon + 1);
            final int port;
            try
            {
                port = Integer.parseInt(portText);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("illegal " + what + " address[:port] specified: '" + text +
                    "' (ports are numeric: save with ipvsadm -S -n)");
            }
            if (port < 0 || port > MAX_PORT)
            {
                throw new IllegalArgumentException("illegal " + what + " address[:port] specified: '" + text + "'");
            }
            return new Endpoint(address, port, true);
        }
    }
}
