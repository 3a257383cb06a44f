package io.jlvs.cli.ipvsadm;

import io.jlvs.cli.listing.IpvsadmFormat;
import io.jlvs.cli.listing.Listing;
import io.jlvs.cli.listing.ServerRow;
import io.jlvs.cli.listing.ServiceRow;
import io.jlvs.dataplane.service.ForwardingMethod;

/**
 * {@code jlvs save}: the running table as {@code ipvsadm -S -n} writes it, one {@code -A} line per service followed by
 * an {@code -a} line per real server, in the listing's order, ready for {@code jlvs restore} (or ipvsadm's
 * {@code -R}).
 * <p>
 * It is what the director runs, as ipvsadm saves the kernel's table: servers that health checks took out are not
 * in it. A service with several VIP:port pairs is saved as one service per pair, as keepalived installs it.
 */
public final class SaveFormat
{
    private static final String NEWLINE = "\n";
    /** What {@code ipvsadm -L} prints for a tunnelled real server; Route and Local are both saved as {@code -g}. */
    private static final String TUNNEL = ForwardingMethod.TUNNEL.label();

    private SaveFormat()
    {
    }

    public static String save(final Listing listing)
    {
        final StringBuilder out = new StringBuilder();
        for (final ServiceRow row : IpvsadmFormat.inListingOrder(listing.services()))
        {
            final ServiceAddress service = row.fwmark() != 0 ?
                new ServiceAddress(row.protocol(), 0, 0, row.fwmark()) :
                new ServiceAddress(row.protocol(), row.address(), row.port(), 0);
            out.append(new IpvsadmCommand(IpvsadmCommand.Verb.ADD_SERVICE, service, row.scheduler(),
                row.schedulerFlags(), row.persistenceTimeoutSeconds(), row.persistenceNetmask(), 0, 0,
                ForwardingMethod.ROUTE, IpvsadmCommand.DEFAULT_WEIGHT, 0, 0).toArgs()).append(NEWLINE);
            for (final ServerRow server : IpvsadmFormat.serversInListingOrder(row))
            {
                out.append(new IpvsadmCommand(IpvsadmCommand.Verb.ADD_SERVER, service, null, 0, 0, 0,
                    server.address(), server.port(),
                    TUNNEL.equals(server.forward()) ? ForwardingMethod.TUNNEL : ForwardingMethod.ROUTE,
                    server.weight(), server.upperThreshold(), server.lowerThreshold()).toArgs()).append(NEWLINE);
            }
        }
        return out.toString();
    }
}
