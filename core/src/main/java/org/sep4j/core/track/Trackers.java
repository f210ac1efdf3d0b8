package org.sep4j.core.track;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Fans every call out to several trackers, in order. */
public final class Trackers implements Tracker {

    private final List<Tracker> trackers;

    public Trackers(List<Tracker> trackers) {
        this.trackers = List.copyOf(trackers);
    }

    @Override
    public void start(RunInfo run, Map<String, Object> config) {
        trackers.forEach(t -> t.start(run, config));
    }

    @Override
    public void log(long step, Map<String, Double> metrics) {
        trackers.forEach(t -> t.log(step, metrics));
    }

    @Override
    public void summary(Map<String, Object> values) {
        trackers.forEach(t -> t.summary(values));
    }

    @Override
    public void file(String name, Path file) {
        trackers.forEach(t -> t.file(name, file));
    }

    @Override
    public void finish(Status status) {
        trackers.forEach(t -> t.finish(status));
    }

    @Override
    public void close() {
        for (Tracker t : trackers) {
            t.close();
        }
    }
}
