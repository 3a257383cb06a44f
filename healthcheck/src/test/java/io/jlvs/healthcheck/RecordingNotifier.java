package io.jlvs.healthcheck;

import java.util.ArrayList;
import java.util.List;

/** A {@link Notifier} that only remembers which scripts it was asked to run, in order. */
final class RecordingNotifier implements Notifier
{
    final List<String> scripts = new ArrayList<>();

    @Override
    public synchronized void notify(final String script, final String event)
    {
        scripts.add(script);
    }

    synchronized List<String> scripts()
    {
        return List.copyOf(scripts);
    }

    @Override
    public void close()
    {
    }
}
