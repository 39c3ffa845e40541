package dev.llmhub.bench.journal;

import dev.llmhub.core.journal.Durability;
import dev.llmhub.core.journal.Entry;
import dev.llmhub.core.journal.JournalCodec;
import dev.llmhub.core.journal.JournalReader;
import dev.llmhub.core.journal.LocalJournal;
import dev.llmhub.core.journal.StartFrom;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** llmhub's LocalJournal storing the record bytes as they are (durability process). */
final class LlmhubStore implements Store {
    static final JournalCodec<byte[]> BYTES = new JournalCodec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value;
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes;
        }

        @Override
        public long estimateSize(byte[] value) {
            return value.length;
        }
    };

    private final LocalJournal<byte[]> journal;
    private final JournalReader<byte[]> replay;

    LlmhubStore(Path dir) {
        journal = LocalJournal.open(LocalJournal.Options.defaults(dir, BYTES).withMaxDiskBytes(16L << 30)
                .withMaxAge(Duration.ofDays(7))
                .withDurability(Durability.valueOf(System.getProperty("bench.durability", "process").toUpperCase(Locale.ROOT))));
        // A cursor, like a destination's, keeps the segments it has not read (with none, retention frees them at once).
        replay = journal.open("replay", StartFrom.EARLIEST);
    }

    @Override
    public void append(byte[] record) throws Exception {
        if (!journal.append(record).await(Duration.ofSeconds(60))) {
            throw new IllegalStateException("append not written within 60 s");
        }
    }

    @Override
    public long replay(Consumer<byte[]> each) throws Exception {
        long n = 0;
        for (List<Entry<byte[]>> b = replay.poll(1000, 4 << 20, Duration.ZERO); !b.isEmpty();
             b = replay.poll(1000, 4 << 20, Duration.ZERO)) {
            for (Entry<byte[]> e : b) {
                each.accept(e.value());
            }
            n += b.size();
            replay.ack(b);
        }
        return n;
    }

    @Override
    public void close() {
        journal.close();
    }
}
