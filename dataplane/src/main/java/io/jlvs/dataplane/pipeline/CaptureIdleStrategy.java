package io.jlvs.dataplane.pipeline;

import io.jlvs.dataplane.transport.PacketTransport;
import org.agrona.concurrent.IdleStrategy;

/**
 * How the capture thread waits when the transport has nothing: spin a little (a frame is often microseconds away
 * under load), yield a little, then sleep in {@link PacketTransport#awaitFrames} until the kernel says a frame is
 * there or the next tick is due. Parking for a fixed time instead would add up to that time to every frame at low
 * rates; the kernel's wake-up adds only its own scheduling delay.
 */
public final class CaptureIdleStrategy implements IdleStrategy
{
    private final PacketTransport transport;
    private final int maxSpins;
    private final int maxYields;
    private final long maxWaitNs;
    private int idleCalls;

    /**
     * @param transport the transport the capture thread reads.
     * @param maxSpins  empty polls spent spinning first.
     * @param maxYields empty polls spent yielding next.
     * @param maxWaitNs the longest sleep: the tick interval, so that housekeeping ticks are never late.
     */
    public CaptureIdleStrategy(
        final PacketTransport transport, final int maxSpins, final int maxYields, final long maxWaitNs)
    {
        this.transport = transport;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxWaitNs = maxWaitNs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (idleCalls < maxSpins)
        {
            idleCalls++;
            Thread.onSpinWait();
        }
        else if (idleCalls < maxSpins + maxYields)
        {
            idleCalls++;
            Thread.yield();
        }
        else
        {
            transport.awaitFrames(maxWaitNs);
        }
    }

    @Override
    public void reset()
    {
        idleCalls = 0;
    }

    @Override
    public String alias()
    {
        return "capture-poll";
    }
}
