package org.sep4j.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavEncoding;
import org.sep4j.core.audio.WavWriter;
import org.sep4j.evaluation.scoring.EvaluationReport;
import org.sep4j.evaluation.scoring.FolderScorer;
import org.sep4j.evaluation.scoring.Layout;

/**
 * report.html in a real browser (Debian's chromium, headless, driven by chromedriver): it loads
 * without console errors, the browser decodes every audio file and spectrogram, the table has a row
 * per item and sorts on a click. Takes the screenshot README shows (target/report.png, committed as
 * docs/report.png).
 */
class HtmlReportBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void theReportLoadsPlaysShowsItsSpectrogramsAndSorts(@TempDir Path dir) throws Exception {
        boolean browser = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        String why = "needs Debian's chromium and chromium-driver (.ci/run installs them: apt-get install chromium chromium-driver)";
        // CI (.ci/run) sets SEP4J_REQUIRE_BROWSER: there a missing browser fails the test instead of skipping it
        assertThat(browser || System.getenv("SEP4J_REQUIRE_BROWSER") == null).as(why).isTrue();
        assumeTrue(browser, why);
        Path ref = Files.createDirectories(dir.resolve("clean"));
        Path est = Files.createDirectories(dir.resolve("enhanced"));
        int n = 16000;
        double[] noise = {0.05, 0.3, 1.0};
        for (int k = 0; k < noise.length; k++) {
            float[] x = new float[n];
            float[] y = new float[n];
            java.util.Random r = new java.util.Random(k);
            for (int i = 0; i < n; i++) {
                x[i] = (float) (0.3 * Math.sin(2 * Math.PI * (300 + 200 * k) * i / 16000.0) * (i % 4000 < 2500 ? 1 : 0.1));
                y[i] = (float) (x[i] + noise[k] * 0.3 * r.nextGaussian());
            }
            WavWriter.write(ref.resolve("item" + k + ".wav"), Audio.mono(x, 16000));               // 16-bit PCM
            WavWriter.write(est.resolve("item" + k + ".wav"), Audio.mono(y, 16000), WavEncoding.FLOAT_32);
        }
        FolderScorer.Result result = new FolderScorer(ref, est, null, FolderScorer.Metric.parse("sisdr,snr")).run(Layout.PAIRED);
        Path out = dir.resolve("report");
        new EvaluationReport(result, new java.util.LinkedHashMap<>(Map.of("references", ref.toString(),
                "estimates", est.toString()))).write(out);
        Path page = out.resolve("report.html");
        assertThat(Files.readString(page)).doesNotContain("http://").doesNotContain("https://"); // offline: no CDN

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,1300", "--allow-file-access-from-files");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.get(page.toUri().toString());
            JavascriptExecutor js = driver;
            List<WebElement> audio = driver.findElements(By.tagName("audio"));
            assertThat(audio).hasSize(2 * noise.length);                     // reference and estimate per item
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(Boolean) js.executeScript(
                    "return Array.from(document.querySelectorAll('audio')).every(a => a.readyState >= 1 || a.error);")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100); // the browser decodes the files' headers in the background
            }
            for (WebElement a : audio) {
                Object error = js.executeScript("return arguments[0].error && arguments[0].error.message;", a);
                double duration = ((Number) js.executeScript("return arguments[0].duration;", a)).doubleValue();
                assertThat(error).as(a.getDomAttribute("src")).isNull();
                assertThat(duration).as(a.getDomAttribute("src")).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
            }
            List<WebElement> images = driver.findElements(By.tagName("img"));
            assertThat(images).hasSize(1 + 2 * noise.length);                // the histogram and every spectrogram
            for (WebElement img : images) {
                long width = ((Number) js.executeScript("return arguments[0].naturalWidth;", img)).longValue();
                assertThat(width).as(img.getDomAttribute("src")).isPositive();
            }
            Path shot = Path.of("target", "report.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
            List<WebElement> rows = driver.findElements(By.cssSelector("#items tbody tr"));
            assertThat(rows).hasSize(noise.length);
            // best first by SI-SDR: the least noisy item leads; a click on the column sorts ascending
            assertThat(firstItem(driver)).isEqualTo("item0.wav");
            driver.findElement(By.cssSelector("#items th[data-col='sisdr']")).click();
            assertThat(firstItem(driver)).isEqualTo("item2.wav");
            driver.findElement(By.cssSelector("#items th[data-col='sisdr']")).click();
            assertThat(firstItem(driver)).isEqualTo("item0.wav");
            driver.findElement(By.cssSelector("#items th[data-col='item']")).click();
            assertThat(firstItem(driver)).isEqualTo("item0.wav");
            List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
            assertThat(severe).as("console errors").isEmpty();
        } finally {
            driver.quit();
        }
    }

    private static String firstItem(ChromeDriver driver) {
        return driver.findElement(By.cssSelector("#items tbody tr td")).getText();
    }
}
