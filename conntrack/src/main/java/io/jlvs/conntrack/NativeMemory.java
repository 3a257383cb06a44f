package io.jlvs.conntrack;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The memory system calls an {@link OffHeapRegion} makes to map the table on transparent huge pages. An interface so
 * that tests can make each call fail and check the fallback; {@link #LINUX} is libc through JNA.
 */
interface NativeMemory
{
    /** Returned by {@link #mapAnonymous} when the call is unavailable (not Linux, JNA missing). */
    int ENOSYS = 38;

    /** Whether the calls can work on this platform at all. */
    boolean available();

    /** A private anonymous read/write mapping; its address, or -errno. */
    long mapAnonymous(long length);

    /** {@code madvise(MADV_HUGEPAGE)}; 0 or -errno. */
    int adviseHugePages(long address, long length);

    /** {@code munmap}; 0 or -errno. */
    int unmap(long address, long length);

    /** libc, bound lazily: a platform where JNA cannot load is reported as unavailable, not as an error. */
    NativeMemory LINUX = new NativeMemory()
    {
        @Override
        public boolean available()
        {
            return LinuxMemory.LOADED;
        }

        @Override
        public long mapAnonymous(final long length)
        {
            if (!LinuxMemory.LOADED)
            {
                return -ENOSYS;
            }
            final long address = LinuxMemory.mmap(
                0, length, LinuxMemory.PROT_READ | LinuxMemory.PROT_WRITE,
                LinuxMemory.MAP_PRIVATE | LinuxMemory.MAP_ANONYMOUS, -1, 0);
            return address == LinuxMemory.MAP_FAILED ? -Native.getLastError() : address;
        }

        @Override
        public int adviseHugePages(final long address, final long length)
        {
            if (!LinuxMemory.LOADED)
            {
                return -ENOSYS;
            }
            return LinuxMemory.madvise(address, length, LinuxMemory.MADV_HUGEPAGE) == 0 ? 0 : -Native.getLastError();
        }

        @Override
        public int unmap(final long address, final long length)
        {
            if (!LinuxMemory.LOADED)
            {
                return -ENOSYS;
            }
            return LinuxMemory.munmap(address, length) == 0 ? 0 : -Native.getLastError();
        }
    };

    /** JNA direct mapping of the three calls; addresses and sizes as {@code long} (LP64), so no call allocates. */
    final class LinuxMemory
    {
        /** Linux's values on x86-64 and aarch64 ({@code asm-generic/mman-common.h}). */
        static final int PROT_READ = 0x1;
        static final int PROT_WRITE = 0x2;
        static final int MAP_PRIVATE = 0x02;
        static final int MAP_ANONYMOUS = 0x20;
        static final int MADV_HUGEPAGE = 14;
        static final long MAP_FAILED = -1;

        static final boolean LOADED = load();

        private LinuxMemory()
        {
        }

        private static boolean load()
        {
            try
            {
                if (!Platform.isLinux() || !Platform.is64Bit())
                {
                    return false;
                }
                Native.register(LinuxMemory.class, Platform.C_LIBRARY_NAME);
                return true;
            }
            catch (final LinkageError ex)
            {
                // No JNA native library for this machine: the table falls back to a direct buffer.
                return false;
            }
        }

        static native long mmap(long address, long length, int protection, int flags, int fd, long offset);

        static native int madvise(long address, long length, int advice);

        static native int munmap(long address, long length);
    }
}
