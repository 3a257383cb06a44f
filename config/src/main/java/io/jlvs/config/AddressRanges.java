package io.jlvs.config;

import io.jlvs.scheduler.Ipv4;

import java.util.ArrayList;
import java.util.List;

/**
 * The address forms of {@code virtual_server_group} (and of {@code jlvs_match}): a single address, a range ending in
 * a last octet ({@code 10.0.0.1-10}, both ends included), a range of full addresses
 * ({@code 10.0.0.250-10.0.1.5}) or a prefix ({@code 10.0.0.8/29}, whose host bits must be zero).
 */
final class AddressRanges
{
    /**
     * jlvs keeps one entry per VIP:port, as IPVS without nftables keeps one service per address; a range larger than
     * this is far more likely a typo (a /16 meant as a /28) than a real set of VIPs.
     */
    static final int MAX_RANGE_ADDRESSES = 4096;

    private static final int MAX_PREFIX = 32;
    private static final int LAST_OCTET_MASK = 0xFF;
    private static final long ADDRESS_MASK = 0xFFFF_FFFFL;
    private static final String FORMS = "an IPv4 address, range (10.0.0.1-10) or prefix (10.0.0.0/29)";

    private AddressRanges()
    {
    }

    /** Every address of the range written in {@code text} (the whole token or its address part), each with port. */
    static List<VirtualAddress> expand(final Token token, final String text, final int port) throws ConfigException
    {
        final long first;
        final long last;
        final int slash = text.indexOf('/');
        final int dash = text.indexOf('-');
        if (slash >= 0)
        {
            final int address = address(token, text.substring(0, slash));
            final int prefix = prefix(token, text.substring(slash + 1));
            final int hostMask = prefix == MAX_PREFIX ? 0 : -1 >>> prefix;
            if ((address & hostMask) != 0)
            {
                throw token.error("expected a network address with no host bits set for /" + prefix + " (such as " +
                    Ipv4.toString(address & ~hostMask) + '/' + prefix + "), found " + token.quotedText());
            }
            first = address & ADDRESS_MASK;
            last = (address | hostMask) & ADDRESS_MASK;
        }
        else if (dash >= 0)
        {
            final int start = address(token, text.substring(0, dash));
            final String endText = text.substring(dash + 1);
            first = start & ADDRESS_MASK;
            if (endText.indexOf('.') >= 0)
            {
                last = address(token, endText) & ADDRESS_MASK;
            }
            else
            {
                last = ((start & ~LAST_OCTET_MASK) | lastOctet(token, endText)) & ADDRESS_MASK;
            }
            if (last <= first)
            {
                throw token.error("expected a range whose end is above its start (such as 10.0.0.1-10), found " +
                    token.quotedText());
            }
        }
        else
        {
            first = address(token, text) & ADDRESS_MASK;
            last = first;
        }
        final long count = last - first + 1;
        if (count > MAX_RANGE_ADDRESSES)
        {
            throw token.error("expected at most " + MAX_RANGE_ADDRESSES + " addresses in one range, found " + count +
                " in " + token.quotedText());
        }
        final List<VirtualAddress> addresses = new ArrayList<>((int)count);
        for (long address = first; address <= last; address++)
        {
            addresses.add(new VirtualAddress((int)address, port));
        }
        return addresses;
    }

    /** A {@code jlvs_match} value: a range as above, then {@code :PORT}; no port means every port (port 0). */
    static List<VirtualAddress> match(final Token token) throws ConfigException
    {
        final String text = Values.text(token).text;
        final int colon = text.lastIndexOf(':');
        if (colon < 0)
        {
            return expand(token, text, 0);
        }
        final String portText = text.substring(colon + 1);
        final int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException ex)
        {
            throw token.error(matchExpected(token));
        }
        if (port < 0 || port > Values.MAX_PORT || !portText.chars().allMatch(Character::isDigit))
        {
            throw token.error(matchExpected(token));
        }
        return expand(token, text.substring(0, colon), port);
    }

    private static String matchExpected(final Token token)
    {
        return "expected VIP:PORT (such as 10.0.0.1:80, 10.0.0.1-10:80 or 10.0.0.0/29:80), found " +
            token.quotedText();
    }

    private static int address(final Token token, final String text) throws ConfigException
    {
        if (text.indexOf(':') >= 0)
        {
            throw token.error("expected an IPv4 address (jlvs does not support IPv6), found " + token.quotedText());
        }
        try
        {
            return Ipv4.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw token.error("expected " + FORMS + ", found " + token.quotedText());
        }
    }

    private static int prefix(final Token token, final String text) throws ConfigException
    {
        try
        {
            final int prefix = Integer.parseInt(text);
            if (prefix >= 1 && prefix <= MAX_PREFIX && text.chars().allMatch(Character::isDigit))
            {
                return prefix;
            }
        }
        catch (final NumberFormatException ex)
        {
            // reported below
        }
        throw token.error("expected " + FORMS + " with a prefix length 1..32, found " + token.quotedText());
    }

    private static int lastOctet(final Token token, final String text) throws ConfigException
    {
        try
        {
            final int octet = Integer.parseInt(text);
            if (octet >= 0 && octet <= LAST_OCTET_MASK && text.chars().allMatch(Character::isDigit))
            {
                return octet;
            }
        }
        catch (final NumberFormatException ex)
        {
            // reported below
        }
        throw token.error("expected " + FORMS + ", found " + token.quotedText());
    }
}
