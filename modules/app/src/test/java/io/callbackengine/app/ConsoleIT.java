package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.GET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web console in a real browser (headless Chromium): a tenant signs in, meets the API's own validation message
 * next to the field, creates a profile, sends a test event to a local receiver, follows it into the delivery log and
 * its attempt, retries it and signs out; an operator issues and revokes a key and watches the health page. Its
 * files are also fetched through the contract-checked client, for the headers every console reply must carry.
 */
class ConsoleIT {

  private static final Duration WITHIN = Duration.ofSeconds(15);
  private static TestEngine engine;
  private static Receiver receiver;
  private static ConsoleBrowser browser;

  @BeforeAll
  static void start() {
    String schema = TestEngine.freshSchema(ConsoleIT.class);
    engine = TestEngine.start(schema, TestEngine.dispatchEnvironment(schema));
    receiver = Receiver.start();
    browser = new ConsoleBrowser(engine.app.httpPort());
  }

  @BeforeEach
  void forgetEarlierPageErrors() {
    browser.pageErrors();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void everyConsoleReplyCarriesTheSecurityHeadersAndThePageHoldsNoInlineScriptOrStyle() {
    Reply redirect = engine.request(GET, "/console").send();
    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("location")).isEqualTo("/console/");

    Reply page = engine.request(GET, "/console/").send();
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-type")).startsWith("text/html");
    String html = page.raw().toString();
    assertThat(html).contains("<script type=\"module\" src=\"console.js\"></script>")
        .doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContain("<style").doesNotContainPattern("\\sstyle=")
        .doesNotContainPattern("\\son[a-z]+=");

    assertThat(engine.request(GET, "/console/console.js").send().header("content-type"))
        .startsWith("text/javascript");
    assertThat(engine.request(GET, "/console/console.css").send().header("content-type")).startsWith("text/css");
    Reply missing = engine.request(GET, "/console/nothing.js").send();
    assertThat(missing.status()).isEqualTo(404);

    for (Reply reply : new Reply[] {redirect, page, missing}) {
      assertThat(reply.header("content-security-policy"))
          .contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(reply.header("x-content-type-options")).isEqualTo("nosniff");
      assertThat(reply.header("referrer-policy")).isEqualTo("no-referrer");
      assertThat(reply.header("x-frame-options")).isEqualTo("DENY");
    }
  }

  @Test
  void theBrowserEnforcesThePolicyAndRefusesAnInjectedInlineScript() {
    browser.open();
    browser.script("const s = document.createElement('script'); s.textContent = 'window.injected = true';"
        + " document.head.append(s);");

    assertThat(browser.script("return window.injected === true")).isEqualTo(false);
    assertThat(browser.pageErrors()).anyMatch(message -> message.contains("Content Security Policy"));
  }

  @Test
  void theHealthPageTurnsTwoScrapesIntoQueueDepthDeliveriesPerSecondAndAFailureRatio() {
    String before = """
        # TYPE callback_queue_deliveries gauge
        callback_queue_deliveries{state="pending"} 7.0
        callback_queue_deliveries{state="delivering"} 2.0
        callback_queue_deliveries{state="held"} 1.0
        callback_queue_lag_seconds 3.5
        callback_deliveries_finished_total{outcome="delivered"} 10.0
        callback_deliveries_finished_total{outcome="failed"} 2.0
        callback_attempts_total{result="2xx"} 10.0
        callback_attempts_total{result="5xx",} 4.0
        """;
    String tenSecondsLater = before.replace("outcome=\"delivered\"} 10.0", "outcome=\"delivered\"} 40.0")
        .replace("result=\"2xx\"} 10.0", "result=\"2xx\"} 40.0").replace("} 4.0", "} 14.0")
        + "callback_attempts_total{result=\"timeout\"} 5.0\n";
    browser.open();

    JsonObject read = new JsonObject((String) browser.driver.executeAsyncScript("""
        const [before, after, done] = arguments;
        import('/console/metrics.js').then(metrics => {
          const first = metrics.reading(metrics.parse(before), 0);
          const second = metrics.reading(metrics.parse(after), 10000);
          done(JSON.stringify({ first, rates: metrics.rates(first, second), restart: metrics.rates(second, first) }));
        }, error => done(JSON.stringify({ error: String(error) })));
        """, before, tenSecondsLater));

    assertThat(read.getJsonObject("first").getMap()).containsEntry("pending", 7).containsEntry("delivering", 2)
        .containsEntry("held", 1).containsEntry("lag", 3.5);
    assertThat(read.getJsonObject("rates").getDouble("perSecond")).isEqualTo(3.0);
    assertThat(read.getJsonObject("rates").getDouble("failureRatio")).isCloseTo(15.0 / 45, within(1e-9));
    assertThat(read.getJsonObject("restart").getValue("perSecond")).isNull();
  }

  @Test
  void aTenantCreatesAProfileSendsATestEventFollowsItsDeliveryRetriesItAndSignsOut() {
    TestAccount account = engine.createAccount("Console tenant");
    browser.open();
    browser.screenshot("sign-in");
    browser.signInAsTenant(account.sid(), account.apiKey());
    browser.text(By.cssSelector("main .empty"), "This account has no profile yet.");

    browser.clickButton("New profile");
    browser.heading("New profile");
    browser.fill(By.cssSelector("form [name=title]"), "x!");
    browser.fill(By.cssSelector("form [name=url]"), receiver.url("/console-hook"));
    browser.fill(By.cssSelector("form [name=events]"), "SMS-sent");
    browser.clickButton("Create profile");
    WebElement titleError = browser.text(By.cssSelector(".field[data-field=title] .field-error"), "body/title");
    assertThat(titleError.isDisplayed()).isTrue();
    assertThat(browser.driver.findElement(By.cssSelector("form [name=title]")).getAttribute("aria-invalid"))
        .isEqualTo("true");
    browser.screenshot("profile-validation");

    browser.fill(By.cssSelector("form [name=title]"), "Console hook");
    browser.clickButton("Create profile");
    browser.heading("Console hook");
    browser.screenshot("profile");

    browser.clickButton("Edit");
    browser.heading("Edit Console hook");
    browser.fill(By.cssSelector("form [name=response_message]"), "Thanks for <status>");
    browser.fill(By.cssSelector("form [name=auth]"), "{\"type\": \"basic\", \"username\": \"console\", \"password\": \"pw\"}");
    browser.clickButton("Save changes");
    browser.heading("Console hook");
    browser.text(By.cssSelector("main dl.facts"), "Thanks for <status>");
    browser.text(By.cssSelector("main dl.facts"), "Basic, user console");

    browser.clickButton("Disable");
    browser.text(By.cssSelector("main .badge"), "disabled");
    browser.clickButton("Enable");
    browser.text(By.cssSelector("main .badge"), "active");
    browser.clickButton("Rotate signing secret");
    browser.text(By.cssSelector("main .outcome"), "Signing secret rotated");

    browser.clickButton("Send test event");
    browser.text(By.cssSelector("main .outcome"), "accepted: 1 delivery queued");
    Receiver.Arrival arrival = receiver.awaitArrivals(1, WITHIN).get(0);
    assertThat(arrival.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
        "console:pw".getBytes(StandardCharsets.UTF_8)));
    String deliveryId = arrival.header("webhook-id");
    engine.awaitDelivery(account, deliveryId, "delivered", WITHIN);

    browser.clickButton("See it in the delivery log");
    browser.heading("Delivery log: Console hook");
    browser.text(By.cssSelector("main table tbody"), "delivered");
    browser.screenshot("delivery-log");

    browser.click(By.linkText(deliveryId));
    browser.heading("Delivery " + deliveryId);
    WebElement attempt = browser.text(By.xpath("//main//table[caption[starts-with(., 'Attempts')]]/tbody/tr[1]"),
        "HTTP 200");
    assertThat(attempt.getText()).contains("ok").contains(" ms");

    browser.clickButton("Retry now");
    browser.text(By.cssSelector("main .outcome"), "Re-queued");
    receiver.awaitArrivals(2, WITHIN);
    Awaitility.await().atMost(WITHIN).until(() -> engine.delivery(account, deliveryId).getInteger("attempt_count") == 2
        && engine.delivery(account, deliveryId).getString("status").equals("delivered"));
    browser.clickButton("Refresh");
    browser.until(d -> d.findElements(By.xpath("//main//table[caption[starts-with(., 'Attempts')]]/tbody/tr"))
        .size() == 2);
    browser.screenshot("delivery");

    // Replay: every delivered delivery of the profile since yesterday goes out once more.
    browser.click(By.linkText("Profiles"));
    browser.click(By.linkText("Console hook"));
    browser.clickButton("Delivery log");
    browser.heading("Delivery log: Console hook");
    browser.script("document.querySelector('input[name=since]').value = '"
        + java.time.LocalDateTime.now().minusDays(1).withNano(0) + "';"
        + "document.querySelector('input[name=delivered]').checked = true;"
        + "document.querySelector('input[name=failed]').checked = false;");
    browser.clickButton("Replay");
    browser.text(By.cssSelector("main form .outcome"), "Replayed 1 deliveries.");
    receiver.awaitArrivals(3, WITHIN);
    assertThat(receiver.arrivals.get(2).header("webhook-id")).isEqualTo(deliveryId);

    browser.phoneWidth();
    browser.click(By.linkText("Profiles"));
    browser.heading("Profiles");
    browser.text(By.cssSelector("main table"), "Console hook");
    browser.screenshot("profiles-phone");
    browser.open();
    browser.signInAsTenant(account.sid(), account.apiKey());
    browser.fill(By.cssSelector("form.filters [name=title]"), "nothing like it");
    browser.clickButton("Apply filters");
    browser.text(By.cssSelector("main .empty"), "No profile matches these filters.");
    browser.fill(By.cssSelector("form.filters [name=title]"), "hook");
    browser.clickButton("Apply filters");
    browser.text(By.cssSelector("main table"), "Console hook");
    browser.screenshot("profiles");

    browser.click(By.linkText("Console hook"));
    browser.heading("Console hook");
    assertThat(browser.all(By.xpath("//button[starts-with(normalize-space(), 'Yes, delete')]")).get(0).isDisplayed())
        .isFalse();
    browser.clickButton("Delete…");
    browser.clickButton("Yes, delete \"Console hook\"");
    browser.heading("Profiles");
    browser.text(By.cssSelector("main .empty"), "This account has no profile yet.");

    assertThat(browser.script("return localStorage.length + sessionStorage.length + document.cookie.length"))
        .isEqualTo(0L);
    browser.signOut();
    assertThat(browser.all(By.cssSelector("input[name=api_key]")).get(0).getAttribute("value")).isEmpty();
    browser.driver.navigate().to(browser.driver.getCurrentUrl().replaceAll("#.*", "") + "#/profiles");
    browser.heading("Sign in");
    // The one refusal the walk provoked (the bad title) is all the page reported: no script error, no CSP violation.
    assertThat(browser.pageErrors()).singleElement().asString()
        .contains("/callback/profiles - Failed to load resource: the server responded with a status of 400");
  }

  @Test
  void anOperatorIssuesAndRevokesAKeyAndReadsTheHealthPage() {
    TestAccount account = engine.createAccount("Console operator");
    browser.open();
    browser.signInAsOperator(TestEngine.ADMIN_TOKEN);
    browser.click(By.linkText(account.sid()));
    browser.heading("Console operator (" + account.sid() + ")");

    browser.clickButton("Issue a new key");
    String key = browser.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-one-time-key]")))
        .getText();
    assertThat(key).hasSize(30);
    assertThat(tenantCall(account, key)).isEqualTo(200);
    browser.screenshot("account-keys");

    String prefix = key.substring(0, 6);
    browser.click(By.cssSelector("button[aria-label='Revoke key " + prefix + "']"));
    browser.text(By.cssSelector("main .outcome"), "Key " + prefix + "… revoked");
    assertThat(tenantCall(account, key)).isEqualTo(401);
    assertThat(tenantCall(account, account.apiKey())).isEqualTo(200);

    browser.click(By.linkText("Health"));
    browser.heading("Health");
    browser.text(By.cssSelector("main table.checks"), "database");
    browser.text(By.cssSelector("main .notice"), "The engine is ready");
    // Rates need two samples of /metrics: the page takes one every few seconds.
    browser.until(d -> !d.findElement(By.cssSelector("[data-chart=perSecond] .chart-value"))
        .getAttribute("data-value").isEmpty());
    assertThat(browser.all(By.cssSelector("svg.chart polyline.series"))).isNotEmpty();
    browser.screenshot("health");
    browser.signOut();
    assertThat(browser.pageErrors()).isEmpty();
  }

  private static int tenantCall(TestAccount account, String key) {
    return engine.request(GET, "/v1/" + account.sid() + "/callback/profiles").apiKey(key).send().status();
  }
}
