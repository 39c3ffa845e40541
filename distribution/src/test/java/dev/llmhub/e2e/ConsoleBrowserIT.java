package dev.llmhub.e2e;

import static dev.llmhub.e2e.Texts.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmhub.server.SeedRequests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 12's console in a real browser (Debian's Chromium, headless, through Selenium) against
 * {@code bin/llmhub} as a process, with two destinations: {@code file} (works) and
 * {@code elasticsearch} pointed at a closed port (down). Login with the key and a wrong key refused;
 * a call made with an HTTP client appears in the live list within 2 s; search finds it by id; its
 * page says "delivered" for the file and why Elasticsearch did not get it; pause, resume and replay
 * change what the file receives; hostile message content renders as text and runs nothing; the JSON
 * API without the key answers 401 in OpenAI's shape. A screenshot of every page is saved under
 * {@code target/console-screenshots/} on every run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    private static final String KEY = "sk-console-e2e-7Hd2";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String IMG = "<img src=x onerror=\"window.__pwned=1;alert(1)\">";
    private static final String SCRIPT = "</script><script>window.__pwned=2;alert(2)</script>";
    private static final String HOSTILE_ANSWER = "</pre><script>window.__pwned=3</script><img src=x onerror=\"window.__pwned=4\">";

    private static Path work;
    private static Path calls;
    @AutoClose
    private static ProxyProcess proxy;
    @AutoClose("quit")
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("console-e2e");
        calls = work.resolve("calls.jsonl");
        int closed = Texts.closedPort(); // Elasticsearch is "down"
        proxy = ProxyProcess.start(work, "model_list:\n" + SeedRequests.MOCK_MODEL + """
                  - model_name: hostile
                    litellm_params:
                      model: mock/hostile
                      mock_response: '%s'
                litellm_settings:
                  callbacks: ["file", "elasticsearch"]
                callback_settings:
                  file:
                    path: %s
                    flush_interval: 50ms
                  elasticsearch:
                    url: http://127.0.0.1:%d
                    flush_interval: 50ms
                    retry_initial_backoff: 200ms
                    retry_max_backoff: 1s
                general_settings:
                  master_key: %s
                """.formatted(HOSTILE_ANSWER.replace("'", "''"), calls, closed, KEY), null, Map.of());
        browser = Chromium.start(work);
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT, Duration.ofMillis(50));
    }

    private static void open(String path) {
        browser.get(proxy.url() + path);
    }

    /** Logs in through the login page when the browser has no session yet. */
    private static void loggedIn() {
        open("/ui/calls");
        if (browser.getCurrentUrl().contains("/ui/login")) {
            browser.findElement(By.id("key")).sendKeys(KEY);
            browser.findElement(By.cssSelector("#login button")).click();
            waiting().until(ExpectedConditions.urlContains("/ui/calls"));
        }
    }

    /** Makes a chat call the way curl does; @return its call id (the record's id). */
    private static String chat(String model, String content, String user) throws Exception {
        String body = JSON.writeValueAsString(Map.of("model", model, "user", user,
                "messages", List.of(Map.of("role", "user", "content", content)),
                "metadata", Map.of("session_id", "console-e2e", "note", content)));
        HttpResponse<String> r = proxy.post("/chat/completions", body, "Authorization", "Bearer " + KEY,
                "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().firstValue("x-llmhub-call-id").orElseThrow();
    }

    private static long linesWith(String id) {
        try {
            return Files.exists(calls) ? Files.readAllLines(calls).stream().filter(l -> l.contains(id)).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode lane(String name) {
        try {
            JsonNode all = JSON.readTree(proxy.get("/ui/api/destinations", "Authorization", "Bearer " + KEY).body());
            for (JsonNode d : all.get("destinations")) {
                if (d.get("name").asText().equals(name)) {
                    return d;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no lane " + name);
    }

    /** Clicks what the locator finds, again if the page re-rendered it meanwhile. */
    private static void click(By locator) {
        waiting().ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(locator).click();
            return true;
        });
    }

    private static String row(String id) {
        return "#calls-body tr[data-id='" + id + "']";
    }

    @Test
    @Order(1)
    void aWrongKeyIsRefusedAndTheMasterKeyLogsIn() {
        open("/ui/calls");
        waiting().until(ExpectedConditions.urlContains("/ui/login?next="));
        Chromium.screenshot(browser, "01-login");
        browser.findElement(By.id("key")).sendKeys("sk-not-the-key");
        browser.findElement(By.cssSelector("#login button")).click();
        WebElement error = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        waiting().until(d -> !error.getText().isEmpty());
        assertTrue(error.getText().contains("invalid key"), error.getText());
        assertTrue(browser.getCurrentUrl().contains("/ui/login"));
        assertTrue(browser.manage().getCookies().isEmpty(), "no session for a wrong key");

        WebElement key = browser.findElement(By.id("key"));
        key.clear();
        key.sendKeys(KEY);
        browser.findElement(By.cssSelector("#login button")).click();
        waiting().until(ExpectedConditions.urlContains("/ui/calls"));
        var cookie = browser.manage().getCookieNamed("llmhub_console");
        assertTrue(cookie != null && cookie.isHttpOnly() && "Strict".equals(cookie.getSameSite()), String.valueOf(cookie));
        assertNull(((JavascriptExecutor) browser).executeScript("return document.cookie.includes('llmhub_console') ? 'seen' : null"),
                "page scripts cannot read the session cookie");
    }

    @Test
    @Order(2)
    void aNewCallAppearsLiveWithinTwoSecondsAndSearchFindsItById() throws Exception {
        loggedIn();
        waiting().until(ExpectedConditions.attributeToBe(By.id("live"), "data-connected", "yes"));
        long t0 = System.nanoTime();
        String id = chat("gpt-3.5-turbo", "good morning good sir", "ishaan-app");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row(id))));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis <= 2_000, "the call showed up after " + millis + " ms");
        WebElement tr = browser.findElement(By.cssSelector(row(id)));
        assertTrue(tr.getText().contains("gpt-3.5-turbo") && tr.getText().contains("ishaan-app"), tr.getText());
        Chromium.screenshot(browser, "02-calls-live");

        for (int i = 0; i < 3; i++) {
            chat("gpt-3.5-turbo", "another call " + i, "someone-else");
        }
        WebElement q = browser.findElement(By.id("f-q"));
        q.sendKeys(id);
        browser.findElement(By.cssSelector("#filters button[type=submit]")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#calls-body tr")).size() == 1
                && !d.findElements(By.cssSelector(row(id))).isEmpty());
        assertTrue(browser.getCurrentUrl().contains("q=" + id), browser.getCurrentUrl());
        Chromium.screenshot(browser, "03-calls-search");
    }

    @Test
    @Order(3)
    void theCallPageSaysDeliveredForTheFileAndWhyElasticsearchHasNotGotIt() throws Exception {
        loggedIn();
        String id = chat("gpt-3.5-turbo", "where did my record go?", "tracker");
        proxy.await("the file destination to write the call", WAIT, () -> linesWith(id) == 1);
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row(id))));
        browser.findElement(By.cssSelector(row(id) + " td.time a")).click();
        waiting().until(ExpectedConditions.urlContains("/ui/calls/" + id));
        WebElement file = waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#deliveries tr[data-id='file']")));
        assertEquals("delivered", file.getAttribute("data-state"), file.getText());
        assertTrue(file.getText().contains("delivered"), file.getText());
        WebElement es = browser.findElement(By.cssSelector("#deliveries tr[data-id='elasticsearch']"));
        assertTrue(List.of("retrying", "pending").contains(es.getAttribute("data-state")), es.getText());
        String reason = es.findElement(By.cssSelector("td.reason")).getText();
        assertTrue(reason.toLowerCase().contains("refused") || reason.toLowerCase().contains("connect"),
                "the reason Elasticsearch has not got it: " + reason);
        assertEquals(id, browser.findElement(By.id("call-id")).getText());
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("Proxy overhead"));

        // the request is loaded only when opened
        assertTrue(browser.findElements(By.cssSelector("#request .message")).isEmpty());
        browser.findElement(By.cssSelector("#request summary")).click();
        WebElement message = waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#request .message pre.content")));
        assertEquals("where did my record go?", message.getText());
        Chromium.screenshot(browser, "04-call");
    }

    @Test
    @Order(4)
    void pauseResumeAndReplayChangeWhatTheFileDestinationReceives() throws Exception {
        loggedIn();
        String first = chat("gpt-3.5-turbo", "before the pause", "replayer");
        proxy.await("the first call in the file", WAIT, () -> linesWith(first) == 1);
        Instant replayFrom = Instant.now().minusSeconds(1);

        open("/ui/destinations");
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("article.lane[data-id='file'] button.pause"), "Pause"));
        Chromium.screenshot(browser, "05-destinations");
        click(By.cssSelector("article.lane[data-id='file'] button.pause"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-result"), "file: paused"));
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("article.lane[data-id='file'] button.pause"), "Resume"));
        assertEquals("paused", lane("file").get("state").asText());

        String held = chat("gpt-3.5-turbo", "while paused", "replayer");
        proxy.await("the held call counted in the file lane's lag", WAIT,
                () -> lane("file").at("/lag/records").asLong() >= 1);
        assertEquals(0, linesWith(held), "a paused destination receives nothing");

        click(By.cssSelector("article.lane[data-id='file'] button.pause"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-result"), "file: resumed"));
        proxy.await("the held call delivered after resume", WAIT, () -> linesWith(held) == 1);
        assertEquals(1, linesWith(first));

        String local = java.time.LocalDateTime.ofInstant(replayFrom, java.time.ZoneId.systemDefault())
                .withNano(0).toString();
        // the page re-renders every 5 s unless something in it has focus: focus first, retry if it re-rendered
        waiting().ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement from = d.findElement(By.cssSelector("article.lane[data-id='file'] input[name=from]"));
            from.click();
            ((JavascriptExecutor) d).executeScript("arguments[0].value = arguments[1];", from, local);
            d.findElement(By.cssSelector("article.lane[data-id='file'] form.replay button")).click();
            return true;
        });
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-result"), "file: replaying from"));
        proxy.await("the replayed calls written again", WAIT, () -> linesWith(first) == 2 && linesWith(held) == 2);
        Chromium.screenshot(browser, "06-destinations-after-replay");
        assertTrue(browser.findElement(By.cssSelector("article.lane[data-id='elasticsearch']")).getText()
                .contains("retrying"), "the down destination shows its state");
        assertFalse(browser.findElements(By.cssSelector("article.lane[data-id='file'] svg.chart rect.bar")).isEmpty(),
                "the chart shows the last minutes' deliveries");
    }

    @Test
    @Order(5)
    void hostileContentRendersAsTextAndRunsNothing() throws Exception {
        loggedIn();
        waiting().until(ExpectedConditions.attributeToBe(By.id("live"), "data-connected", "yes"));
        String id = chat("hostile", IMG + "\n" + SCRIPT, IMG);
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row(id))));
        assertNothingRan();
        assertTrue(browser.findElement(By.cssSelector(row(id))).getText().contains(IMG), "the user shows as text");

        open("/ui/calls/" + id);
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("deliveries")));
        browser.findElement(By.cssSelector("#request summary")).click();
        browser.findElement(By.cssSelector("#response summary")).click();
        WebElement asked = waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#request .message pre.content")));
        WebElement answered = waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#response .message pre.content")));
        assertEquals(IMG + "\n" + SCRIPT, asked.getText());
        assertEquals(HOSTILE_ANSWER, answered.getText());
        assertTrue(browser.findElement(By.id("metadata")).getText().contains("onerror"), "metadata as text");
        Chromium.screenshot(browser, "07-call-hostile");
        assertNothingRan();
    }

    /** No alert, no flag the payloads would set, no element they would add. */
    private static void assertNothingRan() {
        try {
            String text = browser.switchTo().alert().getText();
            throw new AssertionError("an alert opened: " + text);
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertEquals("undefined", js.executeScript("return typeof window.__pwned"));
        assertEquals(0L, js.executeScript("return document.querySelectorAll('main img, main script, main iframe').length"));
        assertEquals(1L, js.executeScript("return document.querySelectorAll('script').length"), "only the page's own module");
    }

    @Test
    @Order(6)
    void pluginsAndConfigShowWhatIsInstalledAndRunning() {
        loggedIn();
        open("/ui/plugins");
        WebElement file = waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#plugins tr[data-id='file']")));
        assertTrue(file.getText().contains("started"), file.getText());
        WebElement config = browser.findElement(By.id("running-config"));
        assertTrue(config.getText().contains("\"master_key\" : \"[REDACTED]\"") || config.getText().contains("[REDACTED]"),
                config.getText());
        assertFalse(config.getText().contains(KEY), "the master key never shows");
        browser.findElement(By.id("reload-config")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-result"), "config reloaded"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("config"), "admin API"));
        Chromium.screenshot(browser, "08-plugins-config");
    }

    @Test
    @Order(7)
    void theJsonApiWithoutTheKeyAnswers401InOpenAisShape() throws Exception {
        for (String path : List.of("/ui/api/calls", "/ui/api/destinations", "/ui/api/config")) {
            HttpResponse<String> r = proxy.get(path);
            assertEquals(401, r.statusCode(), r.body());
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertTrue(error.get("message").isTextual() && error.has("type") && error.has("param")
                    && error.get("code").asText().equals("invalid_api_key"), r.body());
        }
        HttpResponse<String> wrong = proxy.get("/ui/api/calls", "Authorization", "Bearer sk-nope");
        assertEquals(401, wrong.statusCode());
        HttpResponse<String> forged = proxy.post("/ui/api/destinations/file/pause", "", "Cookie", "llmhub_console=forged");
        assertEquals(401, forged.statusCode());
        assertFalse(proxy.output().contains(KEY), "the key never reaches the log");
    }
}
