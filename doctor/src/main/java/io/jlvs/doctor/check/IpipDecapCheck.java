package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.Reading;
import io.jlvs.doctor.host.IpLink;

import java.util.List;
import java.util.Locale;

/**
 * Real server in TUN mode: something must take the IPIP packets apart, either the kernel (the {@code ipip} module,
 * whose fallback device {@code tunl0} must be up to receive) or {@code jlvs tunnel-endpoint} (for kernels without
 * the module). Otherwise the packets arrive and are dropped, and the server never answers.
 */
public final class IpipDecapCheck implements Check
{
    public static final String ID = "ipip-decap";
    private static final String MODULE = "ipip";
    private static final String IPIP_LINK = "ipip";
    private static final String ENDPOINT = "tunnel-endpoint";
    private static final String JLVS = "jlvs";
    /** The fallback device the ipip module creates; it receives IPIP from any address while up. */
    private static final String FALLBACK_DEVICE = "tunl0";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        final String endpoint = runningEndpoint(context);
        if (context.links().isKnown())
        {
            for (final IpLink link : context.links().value())
            {
                if (!IPIP_LINK.equals(link.linkType()))
                {
                    continue;
                }
                if (link.isUp())
                {
                    findings.add(Finding.ok(ID, link.name() + " is up: the kernel decapsulates IPIP"));
                    return;
                }
                if (endpoint == null)
                {
                    findings.add(Finding.fail(ID, link.name() + " exists but is down: the kernel drops the IPIP " +
                        "packets the director sends", Fixes.linkUp(link.name())));
                    return;
                }
            }
        }
        if (endpoint != null)
        {
            findings.add(Finding.ok(ID, "jlvs tunnel-endpoint is running (pid " + endpoint + "): it decapsulates " +
                "IPIP for this host"));
            return;
        }
        final boolean module = context.host().kernelModulePresent(MODULE) || moduleListed(context);
        final String facing = context.clientInterface().isKnown() ? context.clientInterface().value() : "IF";
        if (module)
        {
            findings.add(Finding.fail(ID, "the ipip module is loaded but this namespace has no IPIP device, so " +
                "IPIP packets from the director are dropped", "ip link add name " + FALLBACK_DEVICE +
                " type ipip" + Fixes.AND + Fixes.linkUp(FALLBACK_DEVICE)));
            return;
        }
        findings.add(Finding.fail(ID, "this host cannot decapsulate IPIP (no ipip module, no tunl0, no jlvs " +
            "tunnel-endpoint running): the director's TUN packets are dropped; on kernels without the module run " +
            "bin/jlvs tunnel-endpoint --interface " + facing + " instead", "modprobe " + MODULE + Fixes.AND +
            Fixes.linkUp(FALLBACK_DEVICE)));
    }

    private static boolean moduleListed(final CheckContext context)
    {
        final Reading modules = context.host().modules();
        if (!modules.isPresent())
        {
            return false;
        }
        for (final String line : modules.text().split("\n"))
        {
            if (line.startsWith(MODULE + " "))
            {
                return true;
            }
        }
        return false;
    }

    /** The pid of a running {@code jlvs ... tunnel-endpoint}, or null. */
    private static String runningEndpoint(final CheckContext context)
    {
        final Reading processes = context.host().processes();
        if (!processes.isPresent())
        {
            return null;
        }
        for (final String line : processes.text().split("\n"))
        {
            final String lower = line.toLowerCase(Locale.ROOT);
            final String[] words = lower.trim().split("\\s+");
            boolean endpoint = false;
            for (final String word : words)
            {
                endpoint |= ENDPOINT.equals(word);
            }
            if (endpoint && lower.contains(JLVS))
            {
                return words[0];
            }
        }
        return null;
    }
}
