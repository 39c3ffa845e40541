package dev.llmhub.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver, for the console's browser tests. When
 * the two packages are missing they are installed (as root, as {@code .ci/run} also does); when no
 * browser can be started the test fails, it never skips. Both processes die with the test JVM, even
 * when that is killed.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    /**
     * Starts a fresh headless browser (its own empty profile).
     *
     * @param work a temp folder of the test (profile, wrappers, driver log)
     * @return the driver; quit it when done
     */
    static WebDriver start(Path work) {
        ensureInstalled();
        try {
            Path driver = wrapper(work.resolve("chromedriver.sh"), DRIVER);
            Path browser = wrapper(work.resolve("chromium.sh"), BROWSER);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(driver.toFile())
                    .usingAnyFreePort()
                    .withLogFile(work.resolve("chromedriver.log").toFile())
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(browser.toFile());
            // flags for a root user on a machine without internet (see the build machine notes)
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(work.resolve("profile")),
                    "--window-size=1440,1000", "--lang=en-US");
            ChromeDriver d = new ChromeDriver(service, options);
            d.manage().window().setSize(new Dimension(1440, 1000));
            d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new AssertionError("no browser could be started (" + BROWSER + ", " + DRIVER + "): " + e.getMessage(), e);
        }
    }

    /** Installs chromium and chromium-driver from Debian when missing; fails when it cannot. */
    static synchronized void ensureInstalled() {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError(BROWSER + " or " + DRIVER + " is missing; install them with "
                    + "'apt-get install -y chromium chromium-driver' (as root) and run the tests again");
        }
        run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=300", "update", "-qq"));
        run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "chromium", "chromium-driver"));
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new AssertionError("apt-get installed chromium and chromium-driver, yet " + BROWSER + " or " + DRIVER
                    + " is still missing");
        }
    }

    /** The whole page, not just the window (Chrome DevTools' capture beyond the viewport). */
    private static byte[] fullPage(ChromeDriver driver) {
        Object size = driver.executeScript("return [document.documentElement.scrollWidth, "
                + "document.documentElement.scrollHeight];");
        List<?> wh = (List<?>) size;
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", ((Number) wh.get(0)).intValue(),
                "height", Math.min(8000, ((Number) wh.get(1)).intValue()), "scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        return Base64.getDecoder().decode((String) shot.get("data"));
    }

    private static void run(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while installing the browser", e);
        }
    }

    /** A script that runs {@code target} so that it dies with this JVM (PR_SET_PDEATHSIG through setpriv). */
    private static Path wrapper(Path script, Path target) throws IOException {
        String run = Files.isExecutable(Path.of("/usr/bin/setpriv"))
                ? "exec /usr/bin/setpriv --pdeathsig KILL -- " + target + " \"$@\"\n"
                : "exec " + target + " \"$@\"\n";
        Files.writeString(script, "#!/bin/sh\n" + run);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /**
     * Saves what the browser shows.
     *
     * @param driver the browser
     * @param name   the file's name without extension
     * @return the PNG file, under {@code target/console-screenshots/}
     */
    static Path screenshot(WebDriver driver, String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "console-screenshots"));
            Path file = dir.resolve(name + ".png");
            Files.write(file, fullPage((ChromeDriver) driver));
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
