package io.lrnn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.HttpTestClient;
import io.lrnn.server.ServingFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The console in headless Chromium against a real server with an API key: a wrong key is told
 * apart, the right one reached and used from the keyboard; a CSV is uploaded (file picker, drag
 * and drop), jobs submitted from it, a loss curve watched as it grows to the end, and the versions
 * produced predict in the playground what the API answers (values, class probabilities); labels
 * and a traffic split set in the models page are what the API reports. Each page leaves a
 * screenshot in target/console-screenshots/ (models-labels.png is docs/console-models.png).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lrnn.security.api-key=" + ConsoleBrowserTest.KEY, "lrnn.jobs.workers=1", "lrnn.jobs.threads-per-job=1",
        "lrnn.jobs.heartbeat-interval=200ms", "lrnn.jobs.poll-interval=200ms",
        // Each event stream is closed after 1 s, so the job page has to resume it with Last-Event-ID.
        "lrnn.training.events.max-duration=1s"})
class ConsoleBrowserTest {

    static final String KEY = "console-key-51d2";
    static final Path CSV = Path.of("examples", "product.csv").toAbsolutePath();
    static final Path DEMO = ServingFixtures.REPOSITORY_MODELS.resolve("demo/1");
    /**
     * 800 epochs of 13 batches on 640 rows, with no early stop: seconds of training even on an idle
     * machine (150 epochs took 9 s on 2 busy cores), so the curve is seen growing and the streams,
     * cut every second, are resumed while the job runs.
     */
    static final int EPOCHS = 800;
    static final Duration TRAINING = Duration.ofSeconds(150);

    static final Pattern API_REFUSAL = Pattern.compile(
            "http://localhost:\\d+/api/v1/\\S+ - Failed to load resource: the server responded with a status of 4\\d\\d .*");

    static ChromeDriver browser;

    @TempDir
    static Path profile;

    @LocalServerPort
    int port;

    WebDriverWait wait;

    @DynamicPropertySource
    static void models(DynamicPropertyRegistry registry) {
        registry.add("lrnn.models.directory", ServingFixtures.REPOSITORY_MODELS::toString);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** The browser is started once, by the first test; each test is skipped, with the reason, without Chromium. */
    @BeforeEach
    void open() {
        Chromium.assumeInstalled();
        if (browser == null) {
            browser = Chromium.start(profile, 1280, 900);
        }
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        browser.get("http://localhost:" + port + "/");
        browser.executeScript("sessionStorage.clear()");
    }

    /** No script error, CSP violation or failed load of the console's files; API refusals the tests ask for are logged too. */
    @AfterEach
    void noScriptErrors() {
        if (browser == null) {
            return; // skipped: no Chromium
        }
        assertThat(Chromium.errors(browser)).allSatisfy(error -> assertThat(error).matches(API_REFUSAL));
    }

    void useKey(String key) {
        WebElement input = browser.findElement(By.id("api-key"));
        input.clear();
        input.sendKeys(key);
        browser.findElement(By.id("key-save")).click();
    }

    void go(String hash, String heading) {
        browser.get("http://localhost:" + port + "/" + hash);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), heading));
    }

    @Test
    void aWrongKeyIsToldApartAndTheRightOneOpensTheModels() {
        useKey("not-the-key");
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("auth-message")));
        assertThat(message.getText()).startsWith("The API key was refused.")
                .contains("found a key that does not match");
        assertThat(browser.findElement(By.id("view")).getText()).doesNotContain("{\"type\"");
        Chromium.screenshot(browser, "wrong-key");

        useKey(KEY);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("auth-message")));
        WebElement demo = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-model=demo]")));
        assertThat(demo.getText()).contains("regression", "x1, x2", "913");
        Chromium.screenshot(browser, "models");
        Chromium.resize(browser, 390, 844);
        Chromium.screenshot(browser, "models-phone");
        Chromium.unresize(browser);
    }

    @Test
    void uploadTwoVersionsMakeTheFirstTheDefaultAndDeleteTheSecond() {
        useKey(KEY);
        go("#/models", "Models");
        for (String version : List.of("1", "2")) {
            type("upload-name", "copy");
            type("upload-version", version);
            browser.findElement(By.id("upload-model")).sendKeys(DEMO.resolve("model.json").toString());
            browser.findElement(By.id("upload-weights")).sendKeys(DEMO.resolve("weights.safetensors").toString());
            browser.findElement(By.cssSelector("form[aria-labelledby=upload-title] button[type=submit]")).click();
            noticeOnLoadedPage("Uploaded copy version " + version + ".");
        }
        assertThat(card("copy").getText()).contains("Default version: 2");

        action("copy", "1", "Make default").click();
        noticeOnLoadedPage("copy 1 is now the default version.");
        assertThat(card("copy").getText()).contains("Default version: 1");

        action("copy", "2", "Delete").click();
        browser.switchTo().alert().accept();
        noticeOnLoadedPage("Deleted copy version 2.");
        assertThat(card("copy").findElements(By.cssSelector("[data-version]"))).hasSize(1);
        assertThat(new HttpTestClient(port).get("/api/v1/models/copy", "Authorization", "Bearer " + KEY).body()
                .get("versions")).hasSize(1);
    }

    /** Waits for the notice {@code text} and for the page under it to be loaded (a notice is shown as its page loads). */
    void noticeOnLoadedPage(String text) {
        wait.until(ExpectedConditions.and(ExpectedConditions.textToBe(By.id("notice"), text),
                ExpectedConditions.numberOfElementsToBe(By.cssSelector("main .loading"), 0)));
    }

    WebElement card(String model) {
        return browser.findElement(By.cssSelector("[data-model='" + model + "']"));
    }

    WebElement action(String model, String version, String text) {
        return card(model).findElements(By.cssSelector("[data-version='" + version + "'] button")).stream()
                .filter(button -> button.getText().equals(text)).findFirst().orElseThrow();
    }

    @Test
    void aRefusedRequestIsShownAsItsProblemsDetail() {
        useKey(KEY);
        go("#/predict/demo/1", "Predict");
        new Select(browser.findElement(By.id("predict-mode"))).selectByValue("json");
        type("predict-rows", "[[0.5]]");
        browser.findElement(By.id("predict-submit")).click();
        WebElement notice = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#notice.error")));
        assertThat(notice.getText())
                .isEqualTo("Error 400: instances[0]: expected 2 values [x1, x2] but found 1 values");
        Chromium.screenshot(browser, "predict-error");
    }

    @Test
    void uploadTrainWatchTheCurveGrowAndPredictAsTheApiDoes() {
        useKey(KEY);
        go("#/datasets", "Data sets");
        browser.findElement(By.id("dataset-file")).sendKeys(CSV.toString());
        browser.findElement(By.id("dataset-name")).sendKeys("products");
        browser.findElement(By.id("dataset-upload")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Data set products"));
        assertThat(browser.findElement(By.id("columns")).getText()).contains("x1", "x2", "y", "numeric");
        assertThat(browser.findElement(By.id("notice")).getText()).contains("800 rows, 3 columns");
        Chromium.screenshot(browser, "dataset");

        browser.findElement(By.linkText("Train a model on it")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Submit a training job"));
        assertThat(browser.findElement(By.id("training-epochs")).getAttribute("placeholder")).isEqualTo("200");
        browser.findElement(By.id("job-model")).sendKeys("console-product");
        browser.findElement(By.id("target-y")).click();
        browser.findElement(By.id("training-epochs")).sendKeys(Integer.toString(EPOCHS));
        browser.findElement(By.id("training-batchSize")).sendKeys("50");
        browser.findElement(By.id("training-learningRate")).sendKeys("0.01");
        browser.findElement(By.id("training-earlyStoppingPatience")).sendKeys("0"); // train every epoch
        Chromium.screenshot(browser, "job-form");
        browser.findElement(By.id("job-submit")).click();
        wait.until(ExpectedConditions.textMatches(By.cssSelector("main h1"), Pattern.compile("^Training job job-")));

        // The page redraws the state as events arrive: an element read as it is replaced is read again.
        Wait<WebDriver> training = new WebDriverWait(browser, TRAINING).ignoring(StaleElementReferenceException.class);
        int early = training.until(driver -> {
            int points = plotted();
            return points > 0 && state().equals("RUNNING") ? points : null;
        });
        int later = training.until(driver -> plotted() > early ? plotted() : null);
        assertThat(later).isGreaterThan(early);
        int lastPlotted = Integer.parseInt(browser.findElement(By.id("loss-chart")).getAttribute("data-last-step"));
        assertThat(Integer.parseInt(browser.findElement(By.id("job-progress")).getAttribute("data-step")))
                .as("the progress shown keeps up with the curve").isGreaterThanOrEqualTo(lastPlotted);
        Chromium.screenshot(browser, "job-running");
        training.until(ExpectedConditions.attributeToBe(By.cssSelector("#job-state [data-state]"), "data-state",
                "SUCCEEDED"));
        int last = plotted();
        // The job may end right after the growing curve was read: the end adds no point then.
        assertThat(last).isGreaterThanOrEqualTo(later);
        assertThat(browser.findElement(By.id("job-cancel")).isDisplayed()).isFalse();
        assertThat(Integer.parseInt(browser.findElement(By.id("job-connection")).getAttribute("data-reconnects")))
                .as("streams resumed").isPositive();
        Chromium.screenshot(browser, "job");
        Chromium.resize(browser, 390, 844);
        Chromium.screenshot(browser, "job-phone");
        Chromium.unresize(browser);

        String jobId = browser.findElement(By.cssSelector("main h1")).getText().substring("Training job ".length());
        JsonNode job = new HttpTestClient(port).get("/api/v1/training-jobs/" + jobId, "Authorization", "Bearer " + KEY)
                .body();
        assertThat(last).as("the job's history fills in the steps the events skipped")
                .isGreaterThanOrEqualTo(job.get("history").size());
        long steps = job.get("progress").get("totalSteps").asLong();
        assertThat(browser.findElement(By.id("job-progress")).getText()).contains("step " + steps + " of " + steps);

        browser.findElement(By.id("job-result")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Predict"));
        assertThat(new Select(browser.findElement(By.id("predict-version"))).getFirstSelectedOption().getText())
                .isEqualTo("console-product 1 (default)");
        type("input-0", "0.5");
        type("input-1", "-0.25");
        browser.findElement(By.id("predict-submit")).click();
        WebElement shown = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("prediction-0-y")));
        JsonNode answer = new HttpTestClient(port).postJson("/api/v1/models/console-product/versions/1/predict",
                "{\"instances\": [{\"x1\": 0.5, \"x2\": -0.25}]}").body();
        assertThat(Double.parseDouble(shown.getAttribute("data-value")))
                .isEqualTo(answer.get("predictions").get(0).get("y").asDouble());
        assertThat(browser.findElement(By.id("predict-curl")).getText()).contains(
                "-H \"Authorization: Bearer $LRNN_API_KEY\"", "{\"instances\":[{\"x1\":0.5,\"x2\":-0.25}]}",
                "/api/v1/models/console-product/versions/1/predict");
        Chromium.screenshot(browser, "predict");

        go("#/jobs", "Training jobs");
        assertThat(browser.findElement(By.id("jobs")).getText()).contains(jobId, "console-product 1", "SUCCEEDED");
        Chromium.screenshot(browser, "jobs");
        go("#/datasets", "Data sets");
        assertThat(browser.findElement(By.id("datasets")).getText()).contains("products", "800", "x1, x2, y");
        Chromium.screenshot(browser, "datasets");
        go("#/models", "Models");
        assertThat(browser.findElement(By.cssSelector("[data-model=console-product]")).getText())
                .contains("1", "default", "regression", "x1, x2", "y");
        Chromium.screenshot(browser, "models-after-training");
    }

    /**
     * A CSV dropped on the upload zone (a synthetic drop event carrying a File, which runs the
     * page's drop handler as a drag from the desktop would), a classifier trained from it with
     * architecture fields set in the form, and its answer shown as the API gives it.
     */
    @Test
    void dropACsvTrainAClassifierAndShowItsLabelAndProbabilitiesAsTheApiDoes() {
        useKey(KEY);
        go("#/datasets", "Data sets");
        Boolean dragging = (Boolean) browser.executeScript("""
                const [text, name] = arguments;
                const zone = document.getElementById('drop-zone');
                const transfer = new DataTransfer();
                transfer.items.add(new File([text], name, {type: 'text/csv'}));
                const event = type => new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true});
                zone.dispatchEvent(event('dragover'));
                const shown = zone.classList.contains('dragging');
                zone.dispatchEvent(event('drop'));
                return shown;
                """, sides(240), "sides.csv");
        assertThat(dragging).as("the zone shows a drag over it").isTrue();
        assertThat(browser.findElement(By.id("dataset-chosen")).getText()).isEqualTo("Chosen: sides.csv");
        assertThat(browser.findElement(By.id("drop-zone")).getAttribute("class")).doesNotContain("dragging");
        browser.findElement(By.id("dataset-upload")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Data set sides.csv"));
        assertThat(browser.findElement(By.id("notice")).getText()).contains("240 rows, 3 columns");
        assertThat(browser.findElement(By.id("columns")).getText()).contains("side", "text");

        browser.findElement(By.linkText("Train a model on it")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Submit a training job"));
        JsonNode tabular = api().get("/api/v1/training-presets").body().get(0);
        assertThat(browser.findElement(By.id("layer-width")).getAttribute("placeholder"))
                .isEqualTo(tabular.get("architecture").get("layers").get(0).get("width").asString());
        assertThat(browser.findElement(By.id("training-batchSize-hint")).getText())
                .isEqualTo("default " + tabular.get("training").get("batchSize").asString());
        new Select(browser.findElement(By.id("job-preset"))).selectByValue("signal");
        JsonNode signal = api().get("/api/v1/training-presets").body().get(1);
        assertThat(browser.findElement(By.id("training-batchSize")).getAttribute("placeholder"))
                .isEqualTo(signal.get("training").get("batchSize").asString());
        new Select(browser.findElement(By.id("job-preset"))).selectByValue("tabular");

        browser.findElement(By.id("job-model")).sendKeys("console-sides");
        new Select(browser.findElement(By.id("job-task"))).selectByValue("classification");
        browser.findElement(By.id("target-side")).click();
        type("training-epochs", "20");
        type("training-batchSize", "40");
        type("training-learningRate", "0.01");
        type("layer-width", "12");
        type("layer-omega", "2");
        browser.findElement(By.id("job-submit")).click();
        wait.until(ExpectedConditions.textMatches(By.cssSelector("main h1"), Pattern.compile("^Training job job-")));
        String jobId = browser.findElement(By.cssSelector("main h1")).getText().substring("Training job ".length());
        JsonNode layer = api().get("/api/v1/training-jobs/" + jobId).body().get("request").get("architecture")
                .get("layers").get(0);
        assertThat(layer.get("width").asInt()).isEqualTo(12);
        assertThat(layer.get("omega").asDouble()).isEqualTo(2.0);
        assertThat(layer.get("projection").asInt()).as("the preset's, not given")
                .isEqualTo(tabular.get("architecture").get("layers").get(0).get("projection").asInt());
        new WebDriverWait(browser, TRAINING).ignoring(StaleElementReferenceException.class).until(
                ExpectedConditions.attributeToBe(By.cssSelector("#job-state [data-state]"), "data-state", "SUCCEEDED"));

        browser.findElement(By.id("job-result")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main h1"), "Predict"));
        type("input-0", "0.6");
        type("input-1", "-0.3");
        browser.findElement(By.id("predict-submit")).click();
        WebElement shown = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("prediction-0")));
        JsonNode answer = api().postJson("/api/v1/models/console-sides/versions/1/predict",
                "{\"instances\": [{\"x1\": 0.6, \"x2\": -0.3}]}").body().get("predictions").get(0);
        assertThat(shown.findElement(By.cssSelector("[data-label]")).getText()).isEqualTo(answer.get("label").asString());
        Map<String, Double> probabilities = new TreeMap<>();
        for (WebElement row : shown.findElements(By.cssSelector("tbody tr"))) {
            probabilities.put(row.findElement(By.cssSelector("td")).getText(),
                    Double.parseDouble(row.findElement(By.cssSelector("[data-value]")).getAttribute("data-value")));
        }
        Map<String, Double> expected = new TreeMap<>();
        answer.get("probabilities").properties().forEach(e -> expected.put(e.getKey(), e.getValue().asDouble()));
        assertThat(probabilities).isEqualTo(expected).containsOnlyKeys("above", "below");
        Chromium.screenshot(browser, "predict-classification");
    }

    /** {@code rows} seeded rows of x1, x2 in [-1, 1] and side: above or below the line x2 = x1. */
    static String sides(int rows) {
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder("x1,x2,side\n");
        for (int i = 0; i < rows; i++) {
            double x1 = Math.round((random.nextDouble() * 2 - 1) * 1e3) / 1e3;
            double x2 = Math.round((random.nextDouble() * 2 - 1) * 1e3) / 1e3;
            csv.append(x1).append(',').append(x2).append(',').append(x2 > x1 ? "above" : "below").append('\n');
        }
        return csv.toString();
    }

    /**
     * Labels set, refused and deleted in the models page, and a traffic split set and removed,
     * each seen in {@code GET /api/v1/models/demo}; the playground predicts through a label.
     */
    @Test
    void labelsAndTheTrafficSplitAreSetInThePageAndTheApiHasThem() {
        useKey(KEY);
        go("#/models", "Models");
        for (String label : List.of("stable", "canary")) {
            setLabel(label, "1");
            noticeOnLoadedPage("demo: label " + label + " now names version 1.");
        }
        assertThat(api().get("/api/v1/models/demo").body().get("labels").get("stable").asString()).isEqualTo("1");
        assertThat(card("demo").findElement(By.cssSelector("[data-labels=demo]")).getText())
                .contains("canary", "stable");
        assertThat(card("demo").findElements(By.cssSelector(".badge.label"))).extracting(WebElement::getText)
                .containsExactly("canary", "stable");

        setLabel("1", "1");
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#notice.error")));
        assertThat(refused.getText()).startsWith("Error 409: ").doesNotContain("{");

        new Select(browser.findElement(By.id("traffic-demo-first"))).selectByValue("stable");
        type("traffic-demo-percent", "90");
        new Select(browser.findElement(By.id("traffic-demo-second"))).selectByValue("canary");
        card("demo").findElement(By.xpath(".//button[text()='Set split']")).click();
        noticeOnLoadedPage("demo: stable 90 %, canary 10 %.");
        JsonNode split = api().get("/api/v1/models/demo").body().get("traffic").get("split");
        assertThat(split.get("stable").asInt()).isEqualTo(90);
        assertThat(split.get("canary").asInt()).isEqualTo(10);
        assertThat(browser.findElement(By.cssSelector("[data-traffic=demo]")).getText())
                .contains("canary 10 %, stable 90 %");

        go("#/predict/demo/canary", "Predict");
        assertThat(new Select(browser.findElement(By.id("predict-version"))).getFirstSelectedOption().getText())
                .isEqualTo("demo canary (label: version 1)");
        browser.findElement(By.id("predict-submit")).click();
        WebElement answered = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("prediction-version")));
        assertThat(answered.getAttribute("data-version")).isEqualTo("1");
        assertThat(browser.findElement(By.id("predict-curl")).getText())
                .contains("/api/v1/models/demo/versions/canary/predict");

        go("#/models", "Models");
        Chromium.screenshot(browser, "models-labels");
        card("demo").findElement(By.xpath(".//button[text()='Remove split']")).click();
        noticeOnLoadedPage("demo: removed the traffic split.");
        for (String label : List.of("canary", "stable")) {
            card("demo").findElement(By.cssSelector("[data-label='" + label + "'] button")).click();
            noticeOnLoadedPage("demo: deleted the label " + label + ".");
        }
        JsonNode demo = api().get("/api/v1/models/demo").body();
        assertThat(demo.get("labels").size()).isZero();
        assertThat(demo.get("traffic") == null || demo.get("traffic").isNull()).isTrue();
    }

    void setLabel(String label, String version) {
        type("labels-demo-name", label);
        new Select(browser.findElement(By.id("labels-demo-version"))).selectByValue(version);
        card("demo").findElement(By.xpath(".//button[text()='Set label']")).click();
    }

    /** From a fresh page without a key: Tab reaches the key field with its focus ring shown, Enter uses the key. */
    @Test
    void theKeyFieldIsReachedWithTabAndEnterUsesTheKey() {
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("auth-message")));
        List<String> visited = new ArrayList<>();
        for (int i = 0; i < 10 && !"api-key".equals(visited.isEmpty() ? null : visited.get(visited.size() - 1)); i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.switchTo().activeElement();
            visited.add(focused.getAttribute("id") != null && !focused.getAttribute("id").isEmpty()
                    ? focused.getAttribute("id") : focused.getText());
            assertThat(browser.executeScript("""
                    const style = getComputedStyle(document.activeElement);
                    return `${style.outlineStyle} ${style.outlineWidth}`;""")).as("focus ring on %s", visited)
                    .isEqualTo("solid 3px");
        }
        assertThat(visited).containsExactly("Skip to content", "LRNN Serve", "Models", "Predict", "Data sets",
                "Training jobs", "api-key");
        new Actions(browser).sendKeys(KEY).sendKeys(Keys.ENTER).perform();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("auth-message")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-model=demo]")));
        assertThat(browser.executeScript("return sessionStorage.getItem('lrnn.apiKey')")).isEqualTo(KEY);
    }

    HttpTestClient api() {
        return new HttpTestClient(port, "Authorization", "Bearer " + KEY);
    }

    /** The page's parser, fed chunks cut anywhere (inside a line, between \r and \n), finds the events a whole stream holds. */
    @Test
    void theEventStreamParserReassemblesEventsCutAcrossChunks() {
        String events = (String) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('./console/js/sse.js').then(({EventStreamParser}) => {
                    const seen = [];
                    const parser = new EventStreamParser(e => seen.push(`${e.event}|${e.id}|${e.data}`));
                    [': keep-alive\\r', '\\nevent: snap', 'shot\\r\\nid: 0\\r\\ndata: {"a":\\r', '\\n\\r\\n',
                     'event: progress\\nid: 5\\ndata: 1\\ndata: 2\\n', '\\n', 'data:x\\r\\rdata: cut']
                        .forEach(chunk => parser.push(chunk));
                    done(seen.join(' / '));
                });
                """);
        assertThat(events).isEqualTo("snapshot|0|{\"a\": / progress|5|1\n2 / message|null|x");
    }

    int plotted() {
        return Integer.parseInt(browser.findElement(By.id("loss-chart")).getAttribute("data-points"));
    }

    String state() {
        List<WebElement> badge = browser.findElements(By.cssSelector("#job-state [data-state]"));
        return badge.isEmpty() ? "" : badge.get(0).getAttribute("data-state");
    }

    void type(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }
}
