package io.jlvs.cli.listing;

/**
 * Which of ipvsadm's service tables {@code jlvs list} prints (they exclude each other, as in ipvsadm), or jlvs's
 * latency table, which excludes them too.
 */
public enum ListView
{
    /** The default: Forward, Weight, ActiveConn, InActConn. */
    SERVICES,
    /** {@code --stats}: Conns, InPkts, OutPkts, InBytes, OutBytes. */
    STATS,
    /** {@code --rate}: CPS, InPPS, OutPPS, InBPS, OutBPS, as IPVS's estimator has them. */
    RATE,
    /** {@code --thresholds}: Uthreshold, Lthreshold, ActiveConn, InActConn. */
    THRESHOLDS,
    /** {@code --persistent-conn}: Weight, PersistConn, ActiveConn, InActConn. */
    PERSISTENT_CONN,
    /** {@code --latency}: the director's forwarding latency, RX to TX flush (jlvs's own, no service table). */
    LATENCY
}
