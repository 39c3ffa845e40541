package dev.llmhub.core.journal;

/**
 * What every kind of reader keeps the same way: its cursor's name, and the entries it lost to
 * retention or skipped as corrupt until the lane takes those counts.
 */
abstract class CountingReader<T> implements JournalReader<T> {
    final String name;
    final ReaderCounters counters = new ReaderCounters();

    CountingReader(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Dropped takeDropped() {
        return counters.takeDropped();
    }

    @Override
    public final long takeCorrupt() {
        return counters.takeCorrupt();
    }
}
