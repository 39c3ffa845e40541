package dev.llmhub.bench.journal;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2's MVStore with auto-commit off and a commit after each put: a commit writes the pending changes
 * to the file (without fsync), MVStore's equivalent of {@code process}. Concurrent commits write what
 * every thread has put so far, a group commit of sorts.
 */
final class MvStoreStore implements Store {
    private final MVStore store;
    private final MVMap<Long, byte[]> map;
    private final AtomicLong next;

    MvStoreStore(Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        store = new MVStore.Builder().fileName(dir.resolve("journal.mv").toString()).autoCommitDisabled().open();
        map = store.openMap("journal");
        Long last = map.lastKey();
        next = new AtomicLong(last == null ? 0 : last + 1);
    }

    @Override
    public void append(byte[] record) {
        map.put(next.getAndIncrement(), record);
        store.commit();
    }

    @Override
    public long replay(Consumer<byte[]> each) {
        long n = 0;
        for (Iterator<Map.Entry<Long, byte[]>> it = map.entrySet().iterator(); it.hasNext(); ) {
            each.accept(it.next().getValue());
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        store.close();
    }
}
