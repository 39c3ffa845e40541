package dev.llmhub.bench.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * RocksDB with its write-ahead log on and {@code sync=false}: a put returns once the WAL record has
 * been written to the OS, RocksDB's equivalent of {@code process}. Keys are big-endian sequence
 * numbers, so iteration is append order.
 */
final class RocksStore implements Store {
    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final RocksDB db;
    private final WriteOptions write = new WriteOptions().setSync(false).setDisableWAL(false);
    private final AtomicLong next;

    RocksStore(Path dir) throws Exception {
        options = new Options().setCreateIfMissing(true);
        db = RocksDB.open(options, dir.toString());
        long last = -1;
        try (RocksIterator it = db.newIterator()) {
            it.seekToLast();
            if (it.isValid()) {
                last = ByteBuffer.wrap(it.key()).getLong();
            }
        }
        next = new AtomicLong(last + 1);
    }

    @Override
    public void append(byte[] record) throws Exception {
        db.put(write, ByteBuffer.allocate(8).putLong(next.getAndIncrement()).array(), record);
    }

    @Override
    public long replay(Consumer<byte[]> each) {
        long n = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                each.accept(it.value());
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        db.close();
        write.close();
        options.close();
    }
}
