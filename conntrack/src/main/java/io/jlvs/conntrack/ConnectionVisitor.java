package io.jlvs.conntrack;

/**
 * Sees one live entry of the table during {@link ConnectionTable#forEach}, for listings such as
 * {@code ipvsadm -Lnc}.
 */
@FunctionalInterface
public interface ConnectionVisitor
{
    /**
     * @param protocol    IP protocol number.
     * @param clientAddr  client IPv4 address (a template: the masked client network), host byte order.
     * @param clientPort  client port (0 for a template).
     * @param vaddr       virtual IPv4 address, host byte order.
     * @param vport       virtual port (0 for a port-zero template).
     * @param serverId    the real server the entry is bound to.
     * @param state       a {@link ConnectionState} constant.
     * @param template    whether the entry is a persistence template.
     * @param expiresInNs time left until the entry expires, 0 when it is already due.
     */
    void visit(
        int protocol,
        int clientAddr,
        int clientPort,
        int vaddr,
        int vport,
        int serverId,
        int state,
        boolean template,
        long expiresInNs);
}
