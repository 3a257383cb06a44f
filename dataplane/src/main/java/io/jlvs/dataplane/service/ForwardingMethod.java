package io.jlvs.dataplane.service;

/** How frames reach a real server, named as ipvsadm's listing names them. */
public enum ForwardingMethod
{
    /** Direct routing (keepalived {@code lb_kind DR}, ipvsadm {@code -g}): rewrite the destination MAC. */
    ROUTE("Route"),
    /** IP-in-IP tunnelling (keepalived {@code lb_kind TUN}, ipvsadm {@code -i}). */
    TUNNEL("Tunnel"),
    /** The real server is the director host itself: deliver to the local stack. */
    LOCAL("Local");

    private final String label;

    ForwardingMethod(final String label)
    {
        this.label = label;
    }

    /** The word ipvsadm prints in its Forward column. */
    public String label()
    {
        return label;
    }
}
