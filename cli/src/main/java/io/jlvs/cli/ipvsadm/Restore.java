package io.jlvs.cli.ipvsadm;

import io.jlvs.dataplane.service.ServiceTable;
import io.jlvs.dataplane.service.ServiceTableBuilder;
import io.jlvs.healthcheck.MonitoredService;

import java.util.List;

/**
 * {@code jlvs restore}: ipvsadm's {@code -R}, all or nothing. Each line of the input is one ipvsadm command
 * ({@code -A}, {@code -E}, {@code -D}, {@code -C}, {@code -a}, {@code -e}, {@code -d}; blank lines and {@code #}
 * comments are skipped), applied in order to a copy of the services; the first line that fails stops it, naming its
 * number, and nothing changes. As with ipvsadm, the input adds to the running services: start it with {@code -C} to
 * replace them.
 */
public final class Restore
{
    private Restore()
    {
    }

    /**
     * @return the services after every line.
     * @throws IllegalArgumentException {@code line N: the command: what is wrong}.
     */
    public static List<MonitoredService> apply(final List<MonitoredService> services, final String text)
    {
        List<MonitoredService> result = services;
        final List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).trim();
            try
            {
                final IpvsadmCommand command = IpvsadmCommand.parseLine(line);
                if (command == null)
                {
                    continue;
                }
                if (command.verb() == IpvsadmCommand.Verb.ZERO)
                {
                    throw new IllegalArgumentException("-Z zeroes counters; it has no place in a restore");
                }
                result = ServiceEdits.apply(result, command);
                checkTouched(result, command);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + line + ": " + ex.getMessage(), ex);
            }
        }
        return result;
    }

    /**
     * The director's own checks on the service a line changed, so that an error names its line (a check of the whole
     * list follows when it is applied).
     */
    private static void checkTouched(final List<MonitoredService> services, final IpvsadmCommand command)
    {
        if (command.service() == null)
        {
            return;
        }
        for (final MonitoredService service : services)
        {
            if (command.service().matches(service.spec()))
            {
                new ServiceTableBuilder().build(List.of(service.spec()), ServiceTable.EMPTY);
                return;
            }
        }
    }
}
