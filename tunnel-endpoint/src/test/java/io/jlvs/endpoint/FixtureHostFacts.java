package io.jlvs.endpoint;

import io.jlvs.fixtures.FrameBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@link HostFacts} from values a test sets: a healthy real server by default (rp_filter 0, arp_ignore 1,
 * arp_announce 2 on all, eth0 and the TUN device; 127.0.0.1/8 on lo, 198.18.5.2/24 on eth0).
 */
final class FixtureHostFacts implements HostFacts
{
    private final Map<String, Integer> sysctls = new HashMap<>();
    private final List<InterfaceAddress> addresses = new ArrayList<>();
    private RuntimeException addressFailure;

    FixtureHostFacts()
    {
        for (final String device : new String[] {"all", "default", "lo", "eth0", "jlvs-tun0"})
        {
            conf(device, "rp_filter", 0);
            conf(device, "accept_local", 0);
            conf(device, "arp_ignore", 0);
            conf(device, "arp_announce", 0);
        }
        conf("all", "arp_ignore", 1);
        conf("all", "arp_announce", 2);
        address("lo", "127.0.0.1", 8);
        address("eth0", "198.18.5.2", 24);
    }

    FixtureHostFacts conf(final String device, final String name, final int value)
    {
        sysctls.put(device + "/" + name, value);
        return this;
    }

    /** Removes every sysctl of {@code device}, as if it did not exist. */
    FixtureHostFacts noDevice(final String device)
    {
        sysctls.keySet().removeIf(key -> key.startsWith(device + "/"));
        return this;
    }

    FixtureHostFacts address(final String device, final String dotted, final int prefixLength)
    {
        addresses.add(new InterfaceAddress(device, FrameBuilder.address(dotted), prefixLength));
        return this;
    }

    FixtureHostFacts failAddressListing(final String message)
    {
        addressFailure = new EndpointException(message);
        return this;
    }

    @Override
    public OptionalInt ipv4Conf(final String device, final String name)
    {
        final Integer value = sysctls.get(device + "/" + name);
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    @Override
    public List<InterfaceAddress> ipv4Addresses()
    {
        if (addressFailure != null)
        {
            throw addressFailure;
        }
        return List.copyOf(addresses);
    }
}
