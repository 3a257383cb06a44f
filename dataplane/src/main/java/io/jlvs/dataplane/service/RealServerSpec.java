package io.jlvs.dataplane.service;

import io.jlvs.scheduler.Ipv4;

/**
 * What the control plane asks for one real server of a virtual service (from keepalived.conf or ipvsadm verbs).
 *
 * @param address        IPv4, host byte order.
 * @param port           port; in DR and TUN the packet is not rewritten, so it must equal the virtual port or be 0.
 * @param weight         IPVS weight, 0 quiesces.
 * @param upperThreshold 0 = none.
 * @param lowerThreshold 0 = none.
 * @param method         how frames reach it.
 */
public record RealServerSpec(
    int address, int port, int weight, int upperThreshold, int lowerThreshold, ForwardingMethod method)
{
    public RealServerSpec
    {
        if (weight < 0)
        {
            throw new IllegalArgumentException("weight must be >= 0, weight=" + weight);
        }
        if (port < 0 || port > 0xFFFF)
        {
            throw new IllegalArgumentException("port must be 0..65535, port=" + port);
        }
        if (upperThreshold < 0 || lowerThreshold < 0)
        {
            throw new IllegalArgumentException("thresholds must be >= 0, upper=" + upperThreshold +
                ", lower=" + lowerThreshold);
        }
        if (method == null)
        {
            throw new IllegalArgumentException("forwarding method must be given for " + Ipv4.toString(address));
        }
    }

    public static RealServerSpec route(final int address, final int port, final int weight)
    {
        return new RealServerSpec(address, port, weight, 0, 0, ForwardingMethod.ROUTE);
    }

    @Override
    public String toString()
    {
        return Ipv4.toString(address) + ':' + port;
    }
}
