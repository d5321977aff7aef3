package io.callbackengine.app;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) pointed at one engine's console, with
 * the few moves the console tests make: open, fill a field, click, wait for a condition, take a screenshot.
 */
final class ConsoleBrowser implements AutoCloseable {

  static final String CHROMIUM = System.getProperty("console.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("console.chromedriver", "/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Duration PATIENCE = Duration.ofSeconds(15);
  /** Selenium polls every 500 ms by default, which adds up over a walk through the console. */
  private static final Duration POLL = Duration.ofMillis(50);

  final ChromeDriver driver;
  private final String origin;

  ConsoleBrowser(int port) {
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM)
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1280,900", "--disable-extensions", "--no-first-run", "--lang=en-US");
    // The page's own console: a CSP violation or a script error shows up there, and the tests read it.
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    this.driver = new ChromeDriver(service, options);
    this.origin = "http://127.0.0.1:" + port;
  }

  /** Loads the console afresh: whatever a previous test signed in with is gone with the old page. */
  void open() {
    driver.manage().window().setSize(new Dimension(1280, 900));
    driver.get(origin + "/console");
    heading("Sign in");
  }

  void signInAsTenant(String sid, String apiKey) {
    fill(By.cssSelector("input[name=sid]"), sid);
    fill(By.cssSelector("input[name=api_key]"), apiKey + Keys.ENTER); // the keyboard's way to submit
    heading("Profiles");
  }

  void signInAsOperator(String token) {
    fill(By.cssSelector("input[name=token]"), token);
    click(By.xpath("//button[normalize-space()='Sign in as operator']"));
    heading("Accounts");
  }

  void signOut() {
    click(By.id("sign-out"));
    heading("Sign in");
  }

  /** Waits until the view's heading reads {@code text} (every view has one h2 and focuses it). */
  WebElement heading(String text) {
    return until(ExpectedConditions.visibilityOfElementLocated(
        By.xpath("//main//h2[normalize-space()=" + xpathLiteral(text) + "]")));
  }

  void fill(By field, String text) {
    WebElement element = until(ExpectedConditions.elementToBeClickable(field));
    element.clear();
    element.sendKeys(text);
  }

  void click(By target) {
    until(ExpectedConditions.elementToBeClickable(target)).click();
  }

  void clickButton(String text) {
    click(By.xpath("//main//button[normalize-space()=" + xpathLiteral(text) + "] | //main//a[normalize-space()="
        + xpathLiteral(text) + "]"));
  }

  /** Waits for an element whose visible text contains {@code text}, and answers it. */
  WebElement text(By where, String text) {
    until(ExpectedConditions.textToBePresentInElementLocated(where, text));
    return driver.findElement(where);
  }

  <T> T until(Function<WebDriver, T> condition) {
    // Views replace their parts as data arrives: an element found a moment ago may be gone, so look again.
    return new WebDriverWait(driver, PATIENCE, POLL).ignoring(StaleElementReferenceException.class).until(condition);
  }

  List<WebElement> all(By where) {
    return driver.findElements(where);
  }

  Object script(String javascript) {
    return driver.executeScript(javascript);
  }

  /**
   * What the page reported as errors since the last call: script errors, CSP violations, failed loads. The browser's
   * own request for {@code /favicon.ico} (the console has none) is left out.
   */
  List<String> pageErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(message -> !message.contains("/favicon.ico"))
        .toList();
  }

  void phoneWidth() {
    driver.manage().window().setSize(new Dimension(390, 844));
  }

  /** Writes {@code target/console-screenshots/<name>.png}. */
  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String xpathLiteral(String text) {
    return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
  }

  @Override
  public void close() {
    driver.quit();
  }
}
