package io.jlvs.cli.listing;

/** Which of ipvsadm's service tables {@code jlvs list} prints (they exclude each other, as in ipvsadm). */
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
    PERSISTENT_CONN
}
