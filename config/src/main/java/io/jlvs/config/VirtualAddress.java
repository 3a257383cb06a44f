package io.jlvs.config;

import io.jlvs.scheduler.Ipv4;

/**
 * One VIP:port a virtual service answers on. Port 0 means every port of the VIP (IPVS's port-zero service, always
 * persistent).
 */
public record VirtualAddress(int address, int port)
{
    public VirtualAddress
    {
        if (port < 0 || port > Values.MAX_PORT)
        {
            throw new IllegalArgumentException("port must be 0..65535, port=" + port);
        }
    }

    /** {@code 10.0.0.1:80}, the form ipvsadm prints. */
    @Override
    public String toString()
    {
        return Ipv4.toString(address) + ':' + port;
    }
}
