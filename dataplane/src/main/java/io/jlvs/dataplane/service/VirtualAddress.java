package io.jlvs.dataplane.service;

import io.jlvs.scheduler.Ipv4;

/**
 * One address:port a virtual service answers on. Port 0 is a port-zero service (all ports, as ipvsadm's
 * {@code -p} with port 0), which only makes sense with persistence.
 */
public record VirtualAddress(int address, int port)
{
    public VirtualAddress
    {
        if (port < 0 || port > 0xFFFF)
        {
            throw new IllegalArgumentException("port must be 0..65535, port=" + port);
        }
    }

    @Override
    public String toString()
    {
        return Ipv4.toString(address) + ':' + port;
    }
}
