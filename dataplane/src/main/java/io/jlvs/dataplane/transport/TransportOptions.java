package io.jlvs.dataplane.transport;

import java.util.Objects;

/**
 * How to open a {@link PacketTransport} on one interface: the RX ring's geometry, the TX batch and the socket options.
 * Immutable; built with {@link #builder(String)}. The pcap and memory transports use only the fields that apply to
 * them.
 */
public final class TransportOptions
{
    /** 64 KiB: the biggest GSO/GRO super-frame the kernel hands over (an IPv4 packet's 16-bit total length). */
    public static final int MAX_SUPER_FRAME_BYTES = 64 * 1024;
    /**
     * The smallest RX block: a block must hold a whole 64 KiB super-frame plus its ring headers and virtio_net_hdr,
     * or the kernel truncates it; 128 KiB is the next power of two (a multiple of every page size, 4/16/64 KiB).
     */
    public static final int MIN_BLOCK_SIZE_BYTES = 128 * 1024;
    /** The largest RX ring the transport maps: offsets in it must fit an int. */
    public static final long MAX_RING_BYTES = 1L << 30;

    /**
     * 256 KiB blocks: three super-frames or ~2000 small frames each, so a block fills quickly under load (a block is
     * handed to user space only when full or timed out) while whole super-frames always fit.
     */
    public static final int DEFAULT_BLOCK_SIZE_BYTES = 256 * 1024;
    /** 64 blocks = 16 MiB per socket: ~130 ms of 64-byte frames at 1 Mpps before the kernel drops. */
    public static final int DEFAULT_BLOCK_COUNT = 64;
    /**
     * A TPACKET_V2 ring's default blocks: 256 x 256 KiB = 64 MiB, 768 slots of a whole super-frame each. Its slots are
     * sized for 64 KiB, so {@link #DEFAULT_BLOCK_COUNT} would buffer only 192 frames (about 1 ms at 150 000 frames a
     * second) while the capture thread is descheduled; a V3 ring of 16 MiB buffers thousands of small frames.
     */
    public static final int DEFAULT_V2_BLOCK_COUNT = 256;
    /** TPACKET_V3 packs frames of any size into a block; tp_frame_size only has to pass the kernel's checks. */
    public static final int DEFAULT_FRAME_SIZE_HINT = 2048;
    /**
     * 1 ms, the smallest the kernel takes: at low rates a frame waits in a half-filled block until this timer
     * retires it, so it bounds the added latency (the kernel's own default is ~8 ms).
     */
    public static final int DEFAULT_BLOCK_TIMEOUT_MS = 1;
    /** Frames per sendmmsg: the Disruptor hands batches of this order; 64 amortises the syscall to a few ns/frame. */
    public static final int DEFAULT_TX_BATCH_SIZE = 64;
    /** Room for a batch of super-frames in flight (64 x 64 KiB); 0 keeps the kernel's default (~208 KiB). */
    public static final int DEFAULT_SEND_BUFFER_BYTES = 4 * 1024 * 1024;
    /** {@code PACKET_FANOUT_HASH}: a flow's frames always go to the same socket of the group. */
    public static final int FANOUT_HASH = 0;
    /**
     * {@code PACKET_FANOUT_CBPF} with jlvs's program: the socket is chosen by a hash of the IPv4 source address, so
     * all of a client's frames (every connection, every fragment) land on one worker, whose connection shard then
     * holds the client's persistence template too; frames that are not IPv4 (ARP) all go to the first socket.
     */
    public static final int FANOUT_BY_CLIENT = 6;
    /** {@code PACKET_FANOUT_FLAG_DEFRAG}: reassemble IP fragments before hashing, so all land on one socket. */
    public static final int FANOUT_FLAG_DEFRAG = 0x8000;
    /** {@code PACKET_FANOUT_FLAG_ROLLOVER}: spill to another socket when this one's ring is full. */
    public static final int FANOUT_FLAG_ROLLOVER = 0x1000;
    /** The fanout group id is 16 bits. */
    public static final int MAX_FANOUT_GROUP_ID = 0xFFFF;
    /** Fanout mode and flags are 16 bits. */
    public static final int MAX_FANOUT_MODE = 0xFFFF;
    /** Frames in a TPACKET_V3 ring start at 16-byte boundaries ({@code TPACKET_ALIGNMENT}). */
    public static final int FRAME_ALIGNMENT = 16;
    /** Smallest tp_frame_size the kernel accepts: tpacket3_hdr (48) + sockaddr_ll (20), rounded to 16. */
    public static final int MIN_FRAME_SIZE_HINT = 80;
    /** The largest TX batch: bounds the preallocated sendmmsg vectors (the kernel caps vlen at 1024, UIO_MAXIOV). */
    public static final int MAX_TX_BATCH_SIZE = 1024;
    /** {@code IFNAMSIZ - 1}: the longest Linux interface name. */
    public static final int MAX_INTERFACE_NAME_LENGTH = 15;
    /**
     * The smallest TPACKET_V2 slot that holds a whole super-frame: the kernel puts the frame at
     * {@code TPACKET_ALIGN(TPACKET2_HDRLEN (52) + 16) + virtio_net_hdr (10) - 14} = 76 bytes into the slot, and the
     * frame is at most 14 + 65535 bytes; 76 + 65549 = 65625, rounded up to 16. A 256 KiB block holds three.
     */
    public static final int MIN_V2_FRAME_SIZE_BYTES = 65_632;

    /**
     * The AF_PACKET RX ring layouts jlvs reads.
     * <ul>
     * <li>{@link #V3}: frames packed into blocks; a block is handed over when full or when its timeout (1 ms) expires.
     *     Many small frames per block: the most frames buffered per MiB and the fewest cache lines touched per frame,
     *     but at low rates a frame waits up to the block timeout before jlvs sees it.</li>
     * <li>{@link #V2}: one fixed slot per frame, handed over the moment it is written: no added wait at any rate, but
     *     each slot is sized for a 64 KiB super-frame, so a ring of the same size buffers far fewer small frames
     *     (three per 256 KiB block) before the kernel drops.</li>
     * </ul>
     */
    public enum RxRingVersion
    {
        V3,
        V2
    }

    private final String interfaceName;
    private final int blockSizeBytes;
    private final int blockCount;
    private final int frameSizeHint;
    private final int blockTimeoutMs;
    private final int txBatchSize;
    private final int sendBufferBytes;
    private final boolean vnetHeader;
    private final boolean qdiscBypass;
    private final boolean ignoreOutgoing;
    private final int fanoutGroupId;
    private final int fanoutMode;
    private final RxRingVersion rxRingVersion;
    private final BpfProgram receiveFilter;

    private TransportOptions(final Builder builder)
    {
        this.interfaceName = builder.interfaceName;
        this.blockSizeBytes = builder.blockSizeBytes;
        this.blockCount = builder.blockCount();
        this.frameSizeHint = builder.frameSizeHint;
        this.blockTimeoutMs = builder.blockTimeoutMs;
        this.txBatchSize = builder.txBatchSize;
        this.sendBufferBytes = builder.sendBufferBytes;
        this.vnetHeader = builder.vnetHeader;
        this.qdiscBypass = builder.qdiscBypass;
        this.ignoreOutgoing = builder.ignoreOutgoing;
        this.fanoutGroupId = builder.fanoutGroupId;
        this.fanoutMode = builder.fanoutMode;
        this.rxRingVersion = builder.rxRingVersion;
        this.receiveFilter = builder.receiveFilter;
    }

    /** A builder for a transport on {@code interfaceName} with the defaults above. */
    public static Builder builder(final String interfaceName)
    {
        return new Builder().interfaceName(interfaceName);
    }

    /** A builder with the defaults above; {@link Builder#interfaceName} must be set before {@link Builder#build}. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** The defaults on {@code interfaceName}. */
    public static TransportOptions of(final String interfaceName)
    {
        return builder(interfaceName).build();
    }

    public String interfaceName()
    {
        return interfaceName;
    }

    /** Size of one RX ring block ({@code tp_block_size}); a power of two, at least {@link #MIN_BLOCK_SIZE_BYTES}. */
    public int blockSizeBytes()
    {
        return blockSizeBytes;
    }

    /**
     * Number of RX ring blocks ({@code tp_block_nr}): by default {@link #DEFAULT_BLOCK_COUNT}, for a V2 ring
     * {@link #DEFAULT_V2_BLOCK_COUNT}.
     */
    public int blockCount()
    {
        return blockCount;
    }

    /** {@code tp_frame_size}: only checked by the kernel for TPACKET_V3, where frames have variable size. */
    public int frameSizeHint()
    {
        return frameSizeHint;
    }

    /** {@code tp_retire_blk_tov}: how long a block that is not full waits before the kernel hands it over. */
    public int blockTimeoutMs()
    {
        return blockTimeoutMs;
    }

    /** Frames one flush sends at most; queue() refuses more. */
    public int txBatchSize()
    {
        return txBatchSize;
    }

    /** {@code SO_SNDBUF} to ask for (forced past wmem_max with CAP_NET_ADMIN), 0 for the kernel's default. */
    public int sendBufferBytes()
    {
        return sendBufferBytes;
    }

    /** Use {@code PACKET_VNET_HDR}: receive and send offload metadata (partial checksums, GSO super-frames). */
    public boolean vnetHeader()
    {
        return vnetHeader;
    }

    /** Use {@code PACKET_QDISC_BYPASS}: hand frames straight to the driver, skipping the qdisc layer. */
    public boolean qdiscBypass()
    {
        return qdiscBypass;
    }

    /** Never hand up frames this host transmits on the interface (ours or anyone's). */
    public boolean ignoreOutgoing()
    {
        return ignoreOutgoing;
    }

    /** {@code PACKET_FANOUT} group id, 0 for none; sockets of one group on one interface share its frames. */
    public int fanoutGroupId()
    {
        return fanoutGroupId;
    }

    /** {@code PACKET_FANOUT} mode and flags, by default {@link #FANOUT_HASH} | {@link #FANOUT_FLAG_DEFRAG}. */
    public int fanoutMode()
    {
        return fanoutMode;
    }

    /** The RX ring layout, by default {@link RxRingVersion#V3}. */
    public RxRingVersion rxRingVersion()
    {
        return rxRingVersion;
    }

    /**
     * The classic BPF program the kernel runs on each received frame before it enters the socket's ring, or null to
     * receive every frame. It sees the frame from its Ethernet header on and returns how many bytes to keep (0 drops).
     * Only the AF_PACKET transport applies it; the others hand every frame over, so a filter saves work and is never
     * what a reader relies on to reject a frame.
     */
    public BpfProgram receiveFilter()
    {
        return receiveFilter;
    }

    /**
     * {@code tp_frame_size} to ask the kernel for: for V3 the {@link #frameSizeHint()}; for V2 the block split into
     * as many slots of at least {@link #MIN_V2_FRAME_SIZE_BYTES} as fit, each as big as the split allows.
     */
    public int ringFrameSize()
    {
        if (rxRingVersion == RxRingVersion.V3)
        {
            return frameSizeHint;
        }
        final int slots = blockSizeBytes / MIN_V2_FRAME_SIZE_BYTES;
        return blockSizeBytes / slots & -FRAME_ALIGNMENT;
    }

    /** Total bytes of the RX ring. */
    public long ringBytes()
    {
        return (long)blockSizeBytes * blockCount;
    }

    @Override
    public String toString()
    {
        return "TransportOptions{interface=" + interfaceName + ", blockSizeBytes=" + blockSizeBytes +
            ", blockCount=" + blockCount + ", frameSizeHint=" + frameSizeHint + ", blockTimeoutMs=" + blockTimeoutMs +
            ", txBatchSize=" + txBatchSize + ", sendBufferBytes=" + sendBufferBytes + ", vnetHeader=" + vnetHeader +
            ", qdiscBypass=" + qdiscBypass + ", ignoreOutgoing=" + ignoreOutgoing + ", fanoutGroupId=" +
            fanoutGroupId + ", fanoutMode=0x" + Integer.toHexString(fanoutMode) + ", rxRingVersion=" + rxRingVersion +
            ", receiveFilter=" + (receiveFilter == null ? "none" : receiveFilter.length() + " instructions") + '}';
    }

    /** Builds {@link TransportOptions}; {@link #build()} checks every value and names the one that is wrong. */
    public static final class Builder
    {
        private String interfaceName;
        private int blockSizeBytes = DEFAULT_BLOCK_SIZE_BYTES;
        private int blockCount;
        /** Until set, the ring version's default: {@link #DEFAULT_BLOCK_COUNT}, or V2's. */
        private boolean blockCountSet;
        private int frameSizeHint = DEFAULT_FRAME_SIZE_HINT;
        private int blockTimeoutMs = DEFAULT_BLOCK_TIMEOUT_MS;
        private int txBatchSize = DEFAULT_TX_BATCH_SIZE;
        private int sendBufferBytes = DEFAULT_SEND_BUFFER_BYTES;
        private boolean vnetHeader = true;
        private boolean qdiscBypass = true;
        private boolean ignoreOutgoing = true;
        private int fanoutGroupId;
        private int fanoutMode = FANOUT_HASH | FANOUT_FLAG_DEFRAG;
        private RxRingVersion rxRingVersion = RxRingVersion.V3;
        private BpfProgram receiveFilter;

        private Builder()
        {
        }

        public Builder interfaceName(final String interfaceName)
        {
            this.interfaceName = interfaceName;
            return this;
        }

        public Builder blockSizeBytes(final int blockSizeBytes)
        {
            this.blockSizeBytes = blockSizeBytes;
            return this;
        }

        public Builder blockCount(final int blockCount)
        {
            this.blockCount = blockCount;
            this.blockCountSet = true;
            return this;
        }

        public Builder frameSizeHint(final int frameSizeHint)
        {
            this.frameSizeHint = frameSizeHint;
            return this;
        }

        public Builder blockTimeoutMs(final int blockTimeoutMs)
        {
            this.blockTimeoutMs = blockTimeoutMs;
            return this;
        }

        public Builder txBatchSize(final int txBatchSize)
        {
            this.txBatchSize = txBatchSize;
            return this;
        }

        public Builder sendBufferBytes(final int sendBufferBytes)
        {
            this.sendBufferBytes = sendBufferBytes;
            return this;
        }

        public Builder vnetHeader(final boolean vnetHeader)
        {
            this.vnetHeader = vnetHeader;
            return this;
        }

        public Builder qdiscBypass(final boolean qdiscBypass)
        {
            this.qdiscBypass = qdiscBypass;
            return this;
        }

        public Builder ignoreOutgoing(final boolean ignoreOutgoing)
        {
            this.ignoreOutgoing = ignoreOutgoing;
            return this;
        }

        public Builder fanoutGroupId(final int fanoutGroupId)
        {
            this.fanoutGroupId = fanoutGroupId;
            return this;
        }

        public Builder fanoutMode(final int fanoutMode)
        {
            this.fanoutMode = fanoutMode;
            return this;
        }

        public Builder rxRingVersion(final RxRingVersion rxRingVersion)
        {
            this.rxRingVersion = Objects.requireNonNull(rxRingVersion, "rxRingVersion");
            return this;
        }

        /** See {@link TransportOptions#receiveFilter()}; null (the default) receives every frame. */
        public Builder receiveFilter(final BpfProgram receiveFilter)
        {
            this.receiveFilter = receiveFilter;
            return this;
        }

        private int blockCount()
        {
            return blockCountSet ? blockCount :
                rxRingVersion == RxRingVersion.V2 ? DEFAULT_V2_BLOCK_COUNT : DEFAULT_BLOCK_COUNT;
        }

        /** @throws IllegalArgumentException naming the first value that is out of range. */
        public TransportOptions build()
        {
            final int blockCount = blockCount();
            Objects.requireNonNull(interfaceName, "interfaceName");
            if (interfaceName.isEmpty() || interfaceName.length() > MAX_INTERFACE_NAME_LENGTH ||
                !interfaceName.chars().allMatch(c -> c > ' ' && c < 0x7F && c != '/'))
            {
                throw new IllegalArgumentException(
                    "interfaceName must be 1.." + MAX_INTERFACE_NAME_LENGTH + " printable ASCII characters, " +
                    "interfaceName='" + interfaceName + "'");
            }
            if (blockSizeBytes < MIN_BLOCK_SIZE_BYTES || Integer.bitCount(blockSizeBytes) != 1)
            {
                throw new IllegalArgumentException("blockSizeBytes must be a power of two >= " + MIN_BLOCK_SIZE_BYTES +
                    " (a whole 64 KiB super-frame must fit a block), blockSizeBytes=" + blockSizeBytes);
            }
            if (blockCount < 1 || (long)blockSizeBytes * blockCount > MAX_RING_BYTES)
            {
                throw new IllegalArgumentException("blockCount must be >= 1 and the ring at most " + MAX_RING_BYTES +
                    " bytes, blockCount=" + blockCount + ", blockSizeBytes=" + blockSizeBytes);
            }
            if (frameSizeHint < MIN_FRAME_SIZE_HINT || frameSizeHint > blockSizeBytes ||
                frameSizeHint % FRAME_ALIGNMENT != 0)
            {
                throw new IllegalArgumentException("frameSizeHint must be a multiple of " + FRAME_ALIGNMENT + " in " +
                    MIN_FRAME_SIZE_HINT + ".." + blockSizeBytes + ", frameSizeHint=" + frameSizeHint);
            }
            if (blockTimeoutMs < 0)
            {
                throw new IllegalArgumentException(
                    "blockTimeoutMs must be >= 0 (0: the kernel picks), blockTimeoutMs=" + blockTimeoutMs);
            }
            if (txBatchSize < 1 || txBatchSize > MAX_TX_BATCH_SIZE)
            {
                throw new IllegalArgumentException(
                    "txBatchSize must be 1.." + MAX_TX_BATCH_SIZE + ", txBatchSize=" + txBatchSize);
            }
            if (sendBufferBytes < 0)
            {
                throw new IllegalArgumentException("sendBufferBytes must be >= 0, sendBufferBytes=" + sendBufferBytes);
            }
            if (fanoutGroupId < 0 || fanoutGroupId > MAX_FANOUT_GROUP_ID)
            {
                throw new IllegalArgumentException(
                    "fanoutGroupId must be 0.." + MAX_FANOUT_GROUP_ID + ", fanoutGroupId=" + fanoutGroupId);
            }
            if (fanoutMode < 0 || fanoutMode > MAX_FANOUT_MODE)
            {
                throw new IllegalArgumentException(
                    "fanoutMode must be 0.." + MAX_FANOUT_MODE + ", fanoutMode=" + fanoutMode);
            }
            return new TransportOptions(this);
        }
    }
}
