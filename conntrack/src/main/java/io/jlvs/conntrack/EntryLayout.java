package io.jlvs.conntrack;

/**
 * Layout of one table entry: 64 bytes, one cache line, so that a packet's work on its connection (state, server,
 * expiry) touches one line. The {@link KeyIndex} finds the entry; the entry remembers its slot there.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              KEY_CLIENT: client address (bits 63..32),        |  0
 *  |              client port (31..16), virtual port (15..0)       |
 *  +---------------------------------------------------------------+
 *  |              KEY_SERVICE: virtual address (63..32),           |  8
 *  |              protocol (15..8), kind (7..0)                    |
 *  +-------------------------------+-------------------------------+
 *  |           SERVER_ID           |           FREE_NEXT           | 16
 *  +-------------------------------+-------------------------------+
 *  |            CONTROL            |          STATE_FLAGS          | 24
 *  +-------------------------------+-------------------------------+
 *  |          WHEEL_NEXT           |          WHEEL_PREV           | 32
 *  +-------------------------------+-------------------------------+
 *  |                         EXPIRES_AT_NS                         | 40
 *  +---------------------------------------------------------------+
 *  |  template: TIMEOUT_NS / connection: HALF_OPEN_NEXT, _PREV     | 48
 *  +-------------------------------+-------------------------------+
 *  |          INDEX_SLOT           |          WHEEL_TICK           | 56
 *  +-------------------------------+-------------------------------+
 * </pre>
 * CONTROL is, for a connection, the handle of the template that controls it (IPVS {@code cp->control}) and, for a
 * template, how many connections it controls (IPVS {@code n_control}). FREE_NEXT links free slots. INDEX_SLOT is the
 * entry's slot in the {@link KeyIndex} while it is hashed. The key is kept as two longs, as the index keeps it; the
 * kind (connection or template)
 * is part of the key, so that a connection lookup never finds a template and the reverse, as IPVS's
 * {@code IP_VS_CONN_F_TEMPLATE} check does. The half-open links and the template timeout share bytes because a
 * template is never half-open and a connection's timeout follows from its state.
 */
final class EntryLayout
{
    static final int INT_LENGTH = Integer.BYTES;
    static final int LONG_LENGTH = Long.BYTES;

    static final int KEY_CLIENT_OFFSET = 0;
    static final int KEY_SERVICE_OFFSET = KEY_CLIENT_OFFSET + LONG_LENGTH;
    static final int SERVER_ID_OFFSET = KEY_SERVICE_OFFSET + LONG_LENGTH;
    static final int FREE_NEXT_OFFSET = SERVER_ID_OFFSET + INT_LENGTH;
    static final int CONTROL_OFFSET = FREE_NEXT_OFFSET + INT_LENGTH;
    static final int STATE_FLAGS_OFFSET = CONTROL_OFFSET + INT_LENGTH;
    static final int WHEEL_NEXT_OFFSET = STATE_FLAGS_OFFSET + INT_LENGTH;
    static final int WHEEL_PREV_OFFSET = WHEEL_NEXT_OFFSET + INT_LENGTH;
    static final int EXPIRES_AT_NS_OFFSET = WHEEL_PREV_OFFSET + INT_LENGTH;
    static final int TIMEOUT_NS_OFFSET = EXPIRES_AT_NS_OFFSET + LONG_LENGTH;
    static final int HALF_OPEN_NEXT_OFFSET = TIMEOUT_NS_OFFSET;
    static final int HALF_OPEN_PREV_OFFSET = HALF_OPEN_NEXT_OFFSET + INT_LENGTH;
    static final int INDEX_SLOT_OFFSET = TIMEOUT_NS_OFFSET + LONG_LENGTH;
    static final int WHEEL_TICK_OFFSET = INDEX_SLOT_OFFSET + INT_LENGTH;
    static final int LENGTH = WHEEL_TICK_OFFSET + INT_LENGTH;

    /** One cache line on x86-64 and most aarch64 cores: the allocation is aligned to it. */
    static final int ALIGNMENT = 64;

    static final int KIND_CONNECTION = 1;
    static final int KIND_TEMPLATE = 2;

    /** STATE_FLAGS bits 7..0 hold the {@link ConnectionState}; the flags sit above. */
    static final int STATE_MASK = 0xFF;
    static final int FLAG_IN_USE = 1 << 8;
    static final int FLAG_TEMPLATE = 1 << 9;
    /** IPVS {@code IP_VS_CONN_F_INACTIVE}: counted in the server's InActConn rather than ActiveConn. */
    static final int FLAG_INACTIVE = 1 << 10;
    /** In the key index, so lookups can find it. */
    static final int FLAG_HASHED = 1 << 11;
    /** Linked into the half-open list that a full table sheds first. */
    static final int FLAG_HALF_OPEN = 1 << 12;
    /** A removed template that still controls connections: counters released, freed with its last connection. */
    static final int FLAG_ZOMBIE = 1 << 13;

    private EntryLayout()
    {
    }

    static long clientKey(final int clientAddr, final int clientPort, final int vport)
    {
        return ((long)clientAddr << 32) | ((long)(clientPort & 0xFFFF) << 16) | (vport & 0xFFFF);
    }

    static long serviceKey(final int vaddr, final int protocol, final int kind)
    {
        return ((long)vaddr << 32) | ((protocol & 0xFF) << 8) | (kind & 0xFF);
    }

    static int clientAddr(final long clientKey)
    {
        return (int)(clientKey >>> 32);
    }

    static int clientPort(final long clientKey)
    {
        return (int)(clientKey >>> 16) & 0xFFFF;
    }

    static int vport(final long clientKey)
    {
        return (int)clientKey & 0xFFFF;
    }

    static int vaddr(final long serviceKey)
    {
        return (int)(serviceKey >>> 32);
    }

    static int protocol(final long serviceKey)
    {
        return (int)(serviceKey >>> 8) & 0xFF;
    }
}
