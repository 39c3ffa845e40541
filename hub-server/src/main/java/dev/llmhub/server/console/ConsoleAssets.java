package dev.llmhub.server.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's files, read once from the jar: the pages (HTML shells without inline script or style)
 * and the assets they load (ES modules, one stylesheet, an icon). Nothing is fetched from anywhere
 * else, at build or run time.
 */
final class ConsoleAssets {
    private static final String ROOT = "/dev/llmhub/server/console/";
    /** Every asset served under {@code /ui/assets/}; nothing else is. */
    static final List<String> ASSETS = List.of("app.js", "api.js", "dom.js", "format.js", "calls.js", "call.js",
            "destinations.js", "plugins.js", "chart.js", "login.js", "console.css", "favicon.svg");
    static final List<String> PAGES = List.of("console.html", "login.html", "off.html");

    /** @param bytes the file @param contentType its type */
    record File(byte[] bytes, String contentType) {
    }

    private final Map<String, File> assets = new LinkedHashMap<>();
    private final Map<String, File> pages = new LinkedHashMap<>();

    /** @throws IllegalStateException when a file is missing from the jar (a build error) */
    ConsoleAssets() {
        ASSETS.forEach(name -> assets.put(name, load("assets/" + name)));
        PAGES.forEach(name -> pages.put(name, load("pages/" + name)));
    }

    /** @param name a file name under {@code /ui/assets/} @return the asset, when it is one */
    Optional<File> asset(String name) {
        return Optional.ofNullable(assets.get(name));
    }

    /** @param name one of {@link #PAGES} @return the page */
    File page(String name) {
        File f = pages.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no console page " + name);
        }
        return f;
    }

    private static File load(String path) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("console file " + ROOT + path + " is missing from the jar");
            }
            return new File(in.readAllBytes(), contentType(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read console file " + path, e);
        }
    }

    private static String contentType(String path) {
        if (path.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (path.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (path.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "text/html; charset=utf-8";
    }
}
