package dev.llmhub.bench.journal;

import java.nio.file.Path;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * Chronicle Queue: an append writes into a memory-mapped file, so it is in the OS page cache (and
 * survives the process) once the call returns, Chronicle's equivalent of {@code process}.
 */
final class ChronicleStore implements Store {
    private final ChronicleQueue queue;
    private final ThreadLocal<ExcerptAppender> appenders;

    ChronicleStore(Path dir) {
        queue = SingleChronicleQueueBuilder.single(dir.toFile()).build();
        appenders = ThreadLocal.withInitial(queue::createAppender);
    }

    @Override
    public void append(byte[] record) {
        appenders.get().writeBytes(Bytes.wrapForRead(record));
    }

    @Override
    public long replay(Consumer<byte[]> each) {
        long n = 0;
        Bytes<?> buffer = Bytes.allocateElasticOnHeap(4096);
        try (ExcerptTailer tailer = queue.createTailer()) {
            while (true) {
                buffer.clear();
                if (!tailer.readBytes(buffer)) {
                    break;
                }
                each.accept(buffer.toByteArray());
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        queue.close();
    }
}
