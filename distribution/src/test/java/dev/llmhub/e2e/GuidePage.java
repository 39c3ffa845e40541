package dev.llmhub.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code blocks of a Markdown page that name what they are in their info string, so a test runs
 * the page itself rather than a copy that can drift from it: {@code ```java file=src/main/.../X.java}
 * is a file of the example project, {@code ```text zip=target/x.zip} lists the files a built zip
 * holds. GitHub renders such a block by its first word only.
 */
final class GuidePage {
    private static final Pattern OPEN = Pattern.compile("^```(\\w+) (file|zip)=(\\S+)$");

    private final Path page;
    private final Map<String, String> files = new LinkedHashMap<>();
    private final Map<String, List<String>> zipListings = new LinkedHashMap<>();

    private GuidePage(Path page, List<String> lines) {
        this.page = page;
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = OPEN.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            StringBuilder body = new StringBuilder();
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).equals("```")) {
                body.append(lines.get(j)).append('\n');
                j++;
            }
            if (j == lines.size()) {
                throw new IllegalStateException(page + ":" + (i + 1) + ": code block is never closed");
            }
            String where = open.group(3);
            Map<String, ?> target = open.group(2).equals("file") ? files : zipListings;
            if (target.containsKey(where)) {
                throw new IllegalStateException(page + ":" + (i + 1) + ": a second block for " + where);
            }
            if (open.group(2).equals("file")) {
                files.put(where, body.toString());
            } else {
                zipListings.put(where, body.toString().lines().toList());
            }
            i = j;
        }
    }

    /** @param page a Markdown file @return its named code blocks */
    static GuidePage read(Path page) {
        try {
            return new GuidePage(page, Files.readAllLines(page, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the {@code file=} blocks: relative path to content, in page order */
    Map<String, String> files() {
        return Map.copyOf(files);
    }

    /** @param path a {@code file=} path @return that block's content */
    String file(String path) {
        String text = files.get(path);
        if (text == null) {
            throw new IllegalStateException(page + " has no ```… file=" + path + " block; it has " + files.keySet());
        }
        return text;
    }

    /** @param zip a {@code zip=} path @return the file names that block lists */
    List<String> zipListing(String zip) {
        List<String> listing = zipListings.get(zip);
        if (listing == null) {
            throw new IllegalStateException(page + " has no ```… zip=" + zip + " block; it has " + zipListings.keySet());
        }
        return listing;
    }
}
