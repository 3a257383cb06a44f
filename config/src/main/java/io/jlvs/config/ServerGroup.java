package io.jlvs.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code virtual_server_group}: the VIP:port pairs of its address lines (ranges expanded) and its firewall marks,
 * which jlvs cannot see and which the services using the group must therefore spell out with {@code jlvs_match}.
 */
final class ServerGroup
{
    final Statement statement;
    final String name;
    final List<VirtualAddress> addresses = new ArrayList<>();
    final List<Integer> fwmarks = new ArrayList<>();
    /** An address line without a port: every port, which IPVS allows only for persistent services. */
    boolean hasPortZero;

    private ServerGroup(final Statement statement, final String name)
    {
        this.statement = statement;
        this.name = name;
    }

    static ServerGroup read(final Statement statement, final Diagnostics diagnostics) throws ConfigException
    {
        final ServerGroup group = new ServerGroup(statement,
            Values.required(statement, 0, "a group name").text);
        Values.noMore(statement, 1, diagnostics);
        if (!statement.hasBlock())
        {
            throw statement.lastOnLine().errorAfter("expected '{' to open the virtual_server_group block, " +
                "found end of line");
        }
        for (final Statement entry : statement.block)
        {
            VirtualServerReader.rejectAdvancedSyntax(entry);
            if (entry.hasBlock())
            {
                throw entry.keyword.error("expected an address line or 'fwmark N' in virtual_server_group, found " +
                    "a block after " + entry.keyword.quotedText());
            }
            if (entry.name().equals("fwmark"))
            {
                final String what = "a firewall mark 1..2147483647";
                group.fwmarks.add(Values.integer(Values.required(entry, 0, what), 1, Integer.MAX_VALUE, what));
                if (entry.values.size() > 1 && !entry.values.get(1).text.equals("inet"))
                {
                    throw entry.values.get(1).error("expected inet (jlvs does not support IPv6), found " +
                        entry.values.get(1).quotedText());
                }
                Values.noMore(entry, 2, diagnostics);
                continue;
            }
            final int port = entry.values.isEmpty() ? 0 : Values.port(entry.values.get(0));
            group.hasPortZero |= port == 0;
            group.addresses.addAll(AddressRanges.expand(entry.keyword, Values.text(entry.keyword).text, port));
            Values.noMore(entry, 1, diagnostics);
        }
        return group;
    }
}
