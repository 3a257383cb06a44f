package io.jlvs.dataplane.transport.afpacket;

/** Reads the socket's {@code PACKET_STATISTICS} (clear on read); the ring reader's only system call. */
@FunctionalInterface
interface StatisticsReader
{
    /**
     * Writes a {@code struct tpacket_stats_v3} at {@code statsAddress}; {@code lengthAddress} holds its size.
     *
     * @return 0, or {@code -errno}.
     */
    int readStatistics(long statsAddress, long lengthAddress);
}
