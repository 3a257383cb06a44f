package io.jlvs.doctor.firewall;

/** What a rule does to a packet it matches, as far as the doctor cares. */
public enum Verdict
{
    ACCEPT,
    DROP,
    REJECT,
    /** Source NAT to the outgoing interface's address. */
    MASQUERADE,
    SNAT,
    DNAT,
    /** Destination NAT to this host itself. */
    REDIRECT,
    /** Hands the packet to a local socket without rewriting it. */
    TPROXY,
    /** Jump, goto, return, log, counter only, queue, mark...: nothing the doctor judges. */
    OTHER;

    /** The packet goes no further. */
    public boolean discards()
    {
        return this == DROP || this == REJECT;
    }

    /** The source address is rewritten. */
    public boolean rewritesSource()
    {
        return this == MASQUERADE || this == SNAT;
    }

    /** The packet is taken to this host or elsewhere instead of where it was addressed. */
    public boolean divertsDestination()
    {
        return this == DNAT || this == REDIRECT || this == TPROXY;
    }
}
