package io.jlvs.lab;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.util.concurrent.Callable;

/**
 * Moves the calling thread into a named network namespace ({@code ip netns add NAME}) and back.
 * <p>
 * A Linux network namespace is a property of a thread, and a socket belongs to the namespace of the thread that
 * created it for its whole life. So one JVM can host a whole lab: a thread enters the client's namespace, opens a
 * socket, and leaves; the socket stays the client's even when other threads use it. This is what lets the lab run
 * a director, real servers and clients in one process without spawning JVMs.
 */
public final class NetworkNamespace implements AutoCloseable
{
    /** {@code CLONE_NEWNET} from {@code <sched.h>}: setns() checks the fd is a network namespace. */
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    /** {@code O_CLOEXEC}: the same value on x86-64 and aarch64. */
    private static final int O_CLOEXEC = 0x80000;
    private static final String NETNS_RUN_DIR = "/var/run/netns/";
    private static final String THREAD_NETNS = "/proc/thread-self/ns/net";

    private final int originalFd;
    private final Thread owner;
    private boolean closed;

    private NetworkNamespace(final int originalFd)
    {
        this.originalFd = originalFd;
        this.owner = Thread.currentThread();
    }

    /**
     * Enters namespace {@code name} on the calling thread; {@link #close()} (on the same thread) returns it to the
     * namespace it was in.
     *
     * @throws IllegalStateException naming the namespace and errno when it does not exist or setns fails.
     */
    public static NetworkNamespace enter(final String name)
    {
        final int original = open(THREAD_NETNS);
        final int target;
        try
        {
            target = open(NETNS_RUN_DIR + name);
        }
        catch (final IllegalStateException ex)
        {
            LibC.close(original);
            throw ex;
        }
        try
        {
            LibC.setns(target, CLONE_NEWNET);
        }
        catch (final LastErrorException ex)
        {
            LibC.close(original);
            throw new IllegalStateException("setns into network namespace '" + name + "' failed, errno=" +
                ex.getErrorCode() + " (needs root / CAP_SYS_ADMIN)", ex);
        }
        finally
        {
            LibC.close(target);
        }
        return new NetworkNamespace(original);
    }

    /** Runs {@code body} on the calling thread inside namespace {@code name}, then returns to the original one. */
    public static <T> T call(final String name, final Callable<T> body) throws Exception
    {
        try (NetworkNamespace ignored = enter(name))
        {
            return body.call();
        }
    }

    /** A runnable that may throw, for {@link #run}. */
    @FunctionalInterface
    public interface Body
    {
        void run() throws Exception;
    }

    /** Runs {@code body} on the calling thread inside namespace {@code name}, then returns to the original one. */
    public static void run(final String name, final Body body) throws Exception
    {
        try (NetworkNamespace ignored = enter(name))
        {
            body.run();
        }
    }

    /**
     * Starts a daemon thread that lives in namespace {@code name} for its whole life (for servers that create
     * sockets lazily, such as an accept loop's worker).
     */
    public static Thread startThread(final String name, final String threadName, final Runnable body)
    {
        final Thread thread = new Thread(() ->
        {
            try (NetworkNamespace ignored = enter(name))
            {
                body.run();
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        if (Thread.currentThread() != owner)
        {
            throw new IllegalStateException("a namespace must be left on the thread that entered it, entered on " +
                owner.getName() + ", leaving on " + Thread.currentThread().getName());
        }
        closed = true;
        try
        {
            LibC.setns(originalFd, CLONE_NEWNET);
        }
        finally
        {
            LibC.close(originalFd);
        }
    }

    private static int open(final String path)
    {
        try
        {
            return LibC.open(path, O_RDONLY | O_CLOEXEC);
        }
        catch (final LastErrorException ex)
        {
            throw new IllegalStateException("cannot open " + path + ", errno=" + ex.getErrorCode(), ex);
        }
    }

    /** The three libc calls this class needs, bound by JNA direct mapping. */
    private static final class LibC
    {
        static
        {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int open(String path, int flags) throws LastErrorException;

        static native int setns(int fd, int nstype) throws LastErrorException;

        static native int close(int fd);
    }
}
