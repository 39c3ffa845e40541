package dev.llmhub.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * Cursor files, {@code cursors/<safe-encoded name>.cursor}: a few dozen checksummed bytes (name,
 * committed offset, last use, drops not yet reported), replaced atomically.
 */
final class CursorStore {
    private static final Logger LOG = Logger.getLogger(LocalJournal.class.getName());
    private static final int MAGIC = 0x4C484331; // "LHC1"
    private static final String SUFFIX = ".cursor";

    /** A cursor as stored. */
    record Saved(String name, long committed, long lastUsedMillis, long dropped, String droppedReason) {
    }

    private final Path dir;
    private final boolean fsync;

    CursorStore(Path dir, boolean fsync) {
        this.dir = dir;
        this.fsync = fsync;
    }

    /** @return every readable cursor; an unreadable one is logged and returned with committed -1 */
    List<Saved> loadAll() throws IOException {
        List<Saved> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String fileName = f.getFileName().toString();
                if (fileName.endsWith(".tmp")) {
                    Files.deleteIfExists(f); // a write that a crash interrupted; the previous file is intact
                } else if (fileName.endsWith(SUFFIX)) {
                    Saved s = read(f);
                    if (s != null) {
                        out.add(s);
                    }
                }
            }
        }
        return out;
    }

    private Saved read(Path f) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - 4);
            if (b.getInt(bytes.length - 4) != (int) crc.getValue() || b.getInt() != MAGIC) {
                throw new IllegalArgumentException("bad checksum");
            }
            long committed = b.getLong();
            long lastUsed = b.getLong();
            long dropped = b.getLong();
            String reason = string(b);
            String name = string(b);
            return new Saved(name, committed, lastUsed, dropped, reason);
        } catch (RuntimeException e) {
            // The name is inside the damaged file: recover it from the file name when it was not hashed.
            String encoded = f.getFileName().toString();
            String name = decode(encoded.substring(0, encoded.length() - SUFFIX.length()));
            LOG.log(Level.WARNING, "journal: cursor file {0} is damaged ({1}); cursor ''{2}'' restarts at the "
                    + "oldest retained entry (records may be delivered twice, none are skipped)",
                    new Object[] {f, e.getMessage(), name});
            return new Saved(name, -1, 0, 0, "");
        }
    }

    void save(Saved s) throws IOException {
        byte[] name = s.name().getBytes(StandardCharsets.UTF_8);
        byte[] reason = s.droppedReason().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 24 + 4 + reason.length + 4 + name.length + 4);
        b.putInt(MAGIC).putLong(s.committed()).putLong(s.lastUsedMillis()).putLong(s.dropped());
        b.putInt(reason.length).put(reason).putInt(name.length).put(name);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        DataDir.writeAtomically(dir.resolve(fileName(s.name())), b.flip(), fsync);
    }

    void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(fileName(name)));
        if (fsync) {
            DataDir.syncDirectory(dir);
        }
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * A file name for any cursor name: letters, digits, '-', '_' and '.' stay, other bytes become
     * {@code %XX}; a leading '.' is encoded too (no hidden or special names). Names too long for a
     * file name keep a readable prefix and a hash.
     */
    static String fileName(String name) {
        StringBuilder s = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            boolean safe = c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || (c == '.' && !s.isEmpty()));
            if (safe) {
                s.append(c);
            } else {
                s.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        if (s.length() > 180) {
            s.setLength(120);
            s.append('~').append(sha256(name));
        }
        return s + SUFFIX;
    }

    private static String decode(String encoded) {
        if (encoded.contains("~")) {
            return encoded; // hashed: the original name is only inside the file
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                out.write(HexFormat.fromHexDigits(encoded, i + 1, i + 3));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
