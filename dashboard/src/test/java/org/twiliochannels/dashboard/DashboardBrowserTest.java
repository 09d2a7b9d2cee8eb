package org.twiliochannels.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.twiliochannels.core.MessageStatus;
import org.twiliochannels.core.consent.ConsentChange;
import org.twiliochannels.core.consent.ConsentState;
import org.twiliochannels.outbox.Outbox;
import org.twiliochannels.outbox.OutboxState;

/**
 * The page of a realistic run, served over HTTP on loopback and read in headless Chromium: the
 * numbers it shows are {@code Outbox.counts()} and the ledger's; it is usable with the keyboard and
 * fits a phone's width; screenshots go to {@code target/dashboard.png} and
 * {@code target/dashboard-phone.png}. Needs Debian's {@code chromium} and {@code chromium-driver}
 * ({@code .ci/run} installs them): skipped when they are missing, except on CI, where that fails.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardBrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));

    @TempDir
    static Path dir;
    static Outbox outbox;
    static HttpServer server;
    static WebDriver browser;
    static String url;

    @BeforeAll
    static void start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI runs the browser test: " + CHROMIUM + " and " + CHROMEDRIVER + " are missing;"
                    + " .ci/run installs Debian's chromium and chromium-driver");
        }
        Assumptions.assumeTrue(present, "no " + CHROMIUM + " or " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver): the browser test is skipped");

        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("outbox").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        h2.setPassword("");
        outbox = Campaign.run(h2, "twilio_");
        Dashboard dashboard = Dashboard.builder(h2).title("Spring sale outbox").accountCap(1).build();

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/twilio/dashboard", exchange -> {
            byte[] page = dashboard.page().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/twilio/dashboard";

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,900",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.get(url);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void theCountsShownAreTheOutboxsCounts() {
        Map<OutboxState, Long> counts = outbox.counts();
        for (OutboxState s : OutboxState.values()) {
            assertEquals(counts.get(s), number(browser.findElement(By.id("count-" + s.dbName()))), s.dbName());
        }
        assertEquals(counts.values().stream().mapToLong(Long::longValue).sum(), number(browser.findElement(By.id("count-total"))));
        assertEquals(counts.get(OutboxState.UNKNOWN), number(browser.findElement(By.id("card-unknown"))));
        assertEquals(counts.get(OutboxState.QUEUED), number(browser.findElement(By.id("card-later"))),
                "the queued messages are the scheduled reminders");
        assertEquals(counts.get(OutboxState.ACCEPTED), number(browser.findElement(By.id("accepted-hour"))));
    }

    @Test
    void theFunnelShownIsTheLedgers() {
        Map<MessageStatus, Long> twilio = outbox.twilioStatusCounts(Campaign.BATCH);
        WebElement row = browser.findElement(By.cssSelector("tr[data-funnel='sms/" + Campaign.BATCH + "']"));
        assertEquals(outbox.counts(Campaign.BATCH).get(OutboxState.ACCEPTED), column(row, "accepted"));
        assertEquals(twilio.getOrDefault(MessageStatus.DELIVERED, 0L) + twilio.getOrDefault(MessageStatus.READ, 0L),
                column(row, "delivered"));
        assertEquals(twilio.get(MessageStatus.UNDELIVERED), column(row, "undelivered"));
        assertEquals(twilio.get(MessageStatus.FAILED), column(row, "failed"));
        assertEquals(outbox.counts(Campaign.BATCH).get(OutboxState.REJECTED), column(row, "rejected"));
        assertEquals(outbox.counts(Campaign.BATCH).get(OutboxState.UNKNOWN), column(row, "unknown"));
        assertEquals("75.0 %", row.findElements(By.tagName("td")).get(11).getText(), "30 of 40 accepted delivered");
    }

    @Test
    void failuresShowTheirCodeCountAndHint() {
        WebElement row = browser.findElement(By.cssSelector("#failures-table tr[data-code='30003']"));
        assertEquals("4", row.findElements(By.tagName("td")).get(1).getText());
        assertTrue(row.getText().contains(org.twiliochannels.core.TwilioErrorCode.of(30003).orElseThrow().hint()),
                row.getText());
        WebElement optedOut = browser.findElement(By.cssSelector("#failures-table tr[data-code='21610']"));
        assertEquals("1", optedOut.findElements(By.tagName("td")).get(1).getText());
        assertTrue(optedOut.getText().contains(org.twiliochannels.core.TwilioErrorCode.of(21610).orElseThrow().hint()),
                optedOut.getText());
        WebElement unknown = browser.findElement(By.id("unknown-table"));
        assertTrue(unknown.getText().contains("+1415***0999"), unknown.getText());
        assertTrue(unknown.getText().contains("sale-lost"), unknown.getText());
    }

    @Test
    void theConsentNumbersShownAreTheLedgers() {
        List<ConsentChange> changes = outbox.consentLedger().changes();
        assertEquals(outbox.consentLedger().current().stream().filter(c -> c.state() == ConsentState.OPTED_OUT).count(),
                number(browser.findElement(By.id("card-opted-out"))));
        Instant since = Instant.ofEpochSecond(
                (Math.floorDiv(Instant.now().getEpochSecond(), 86_400) - DashboardStore.CONSENT_DAYS + 1) * 86_400);
        for (String kind : new String[] {"keyword", "error-21610", "api"}) {
            for (ConsentState state : ConsentState.values()) {
                long expected = changes.stream().filter(c -> !c.at().isBefore(since) && c.state() == state
                        && c.source().kind().equals(kind)).count();
                String id = (state == ConsentState.OPTED_OUT ? "consent-out-" : "consent-in-") + kind;
                assertEquals(expected, number(browser.findElement(By.id(id))), id);
            }
        }
        assertEquals(changes.stream().filter(c -> !c.at().isBefore(since) && c.state() == ConsentState.OPTED_OUT).count(),
                number(browser.findElement(By.id("card-opt-outs"))));
        WebElement newest = browser.findElement(By.id("consent-table"));
        assertTrue(newest.getText().contains("+1415***1020"), newest.getText());
        assertFalse(newest.getText().contains(Campaign.number(20).value()), "a full number");
        assertTrue(browser.findElement(By.id("chart-consent")).isDisplayed());
    }

    @Test
    void theKeyboardReachesTheSkipLinkFirstAndItLeadsToTheNumbers() {
        browser.get(url);
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        WebElement focused = browser.switchTo().activeElement();
        assertEquals("Skip to the numbers", focused.getText());
        focused.sendKeys(Keys.ENTER);
        assertEquals("main", browser.switchTo().activeElement().getAttribute("id"));
    }

    @Test
    void itFitsAPhoneAndTheScreenshotsAreSaved() throws IOException {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(url);
        long height = (Long) js.executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 20, 6000)));
        save("dashboard.png");

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(url);
        long width = (Long) js.executeScript("return document.documentElement.scrollWidth");
        long viewport = (Long) js.executeScript("return document.documentElement.clientWidth");
        assertTrue(width <= viewport, "the page is " + width + " px wide on a phone of " + viewport
                + " px: only tables scroll, in their own region");
        save("dashboard-phone.png");
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    private static void save(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(target) > 10_000, target + " is a picture of the page");
    }

    private static long column(WebElement row, String name) {
        return number(row.findElement(By.cssSelector("td[data-col='" + name + "']")));
    }

    private static long number(WebElement e) {
        return Long.parseLong(e.getText().replace(",", "").strip());
    }
}
