package io.jlvs.doctor.check;

import io.jlvs.doctor.Finding;
import io.jlvs.doctor.Reading;

import java.util.List;

/**
 * Director: jlvs's own needs from the kernel, tried rather than guessed: an AF_PACKET socket on the interface with
 * a memory-mapped TPACKET_V3 ring. (jlvs does not use ip_vs, so a kernel without it, or one whose update broke it,
 * changes nothing here.)
 */
public final class PacketSocketCheck implements Check
{
    public static final String ID = "packet-socket";

    @Override
    public void run(final CheckContext context, final List<Finding> findings)
    {
        final String name = context.options().interfaceName().orElseThrow();
        final Reading probe = context.host().packetSocketProbe(name);
        switch (probe.status())
        {
            case PRESENT:
                findings.add(Finding.ok(ID, "an AF_PACKET socket with an mmap'd TPACKET_V3 ring opens on " + name +
                    (probe.text().isBlank() ? "" : " (" + probe.text().strip() + ")")));
                break;
            case FAILED:
                findings.add(Finding.fail(ID, "jlvs cannot open its packet socket on " + name + ": " +
                    probe.text().strip(), ""));
                break;
            default:
                findings.add(Finding.warn(ID, "the AF_PACKET socket was not tried (" + probe.text() + ")", ""));
                break;
        }
    }
}
