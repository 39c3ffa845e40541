package dev.llmhub.bench.journal;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One embedded store used as an append-only journal of records, at the durability closest to
 * llmhub's {@code process}: an append has reached the OS (it survives the process being killed) when
 * the call returns. Appends come from many threads at once.
 */
interface Store extends AutoCloseable {

    /** Appends one record; returns once it survives a crash of this process. */
    void append(byte[] record) throws Exception;

    /** Reads every record from the oldest. @return how many */
    long replay(Consumer<byte[]> each) throws Exception;

    @Override
    void close() throws Exception;

    /** @return the store named on the command line, opened (or created) in {@code dir} */
    static Store open(String name, Path dir) throws Exception {
        return switch (name) {
            case "llmhub" -> new LlmhubStore(dir);
            case "rocksdb" -> new RocksStore(dir);
            case "mvstore" -> new MvStoreStore(dir);
            case "chronicle" -> new ChronicleStore(dir);
            default -> throw new IllegalArgumentException("unknown store " + name);
        };
    }

    /** @return how the table names it */
    static String describe(String name) {
        return switch (name) {
            case "llmhub" -> "llmhub LocalJournal (process)";
            case "rocksdb" -> "RocksDB 10.10.1.1 (WAL, sync=false)";
            case "mvstore" -> "H2 MVStore 2.5.252 (commit per append)";
            case "chronicle" -> "Chronicle Queue 2026.4 (mmap)";
            default -> name;
        };
    }
}
