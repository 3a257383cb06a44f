package io.jlvs.config;

/** The layer-4 protocol of a virtual service ({@code protocol TCP|UDP}). */
public enum Protocol
{
    TCP(6),
    UDP(17);

    private final int ipProtocol;

    Protocol(final int ipProtocol)
    {
        this.ipProtocol = ipProtocol;
    }

    /** The IPv4 header's protocol number (IANA): 6 for TCP, 17 for UDP. */
    public int ipProtocol()
    {
        return ipProtocol;
    }
}
