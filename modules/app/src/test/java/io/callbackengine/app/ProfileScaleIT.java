package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.GET;
import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, item 7: one account with 10,000 profiles, created through the API (their secrets are sealed on the way
 * in), lists them page by page: every profile exactly once, the right total, filters still exact, and every page
 * answered well within a second (a noise-proof bound; the figures are logged).
 */
class ProfileScaleIT {

  private static final int PROFILES = 10_000;
  private static final int IN_FLIGHT = 32;
  private static final int PAGE = 100;
  private static final Duration PAGE_BOUND = Duration.ofSeconds(1);
  private static final System.Logger LOG = System.getLogger(ProfileScaleIT.class.getName());

  private static TestEngine engine;
  private static TestAccount account;
  /** Profile id → title, in creation order. */
  private static final Map<String, String> created = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private static final Map<String, String> eventOf = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void tenThousandProfiles() {
    String schema = TestEngine.freshSchema(ProfileScaleIT.class);
    Map<String, String> env = TestEngine.environment(schema);
    env.put("CALLBACK_DATABASE_POOL_SIZE", "8");
    engine = TestEngine.start(schema, env);
    account = engine.createAccount("Ten thousand");
    long started = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < IN_FLIGHT; lane++) {
      lanes.add(createFrom(next));
    }
    TestEngine.await(Future.all(lanes));
    LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "created %d profiles in %.1f s (%d in flight)",
        created.size(), (System.nanoTime() - started) / 1e9, IN_FLIGHT));
    assertThat(created).hasSize(PROFILES);
  }

  /** One lane: creates profile after profile until all are taken. */
  private static Future<Void> createFrom(AtomicInteger next) {
    int i = next.getAndIncrement();
    if (i >= PROFILES) {
      return Future.succeededFuture();
    }
    String title = String.format(Locale.ROOT, "Scale profile %05d", i);
    String event = "E-" + (i % 10);
    JsonObject profile = ProfileApiIT.minimal(title).put("channel", "sms").put("events", new JsonArray().add(event));
    return engine.client.post("/v1/" + account.sid() + "/callback/profiles").putHeader("api-key", account.apiKey())
        .sendJsonObject(profile)
        .compose(reply -> {
          if (reply.statusCode() != 201) {
            return Future.failedFuture(new AssertionError("profile " + i + ": " + reply.statusCode() + " " + reply.bodyAsString()));
          }
          String id = reply.bodyAsJsonObject().getJsonObject("data").getString("profile_id");
          created.put(id, title);
          eventOf.put(id, event);
          return createFrom(next);
        });
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void everyProfileAppearsExactlyOnceAcrossPagesAndEveryPageAnswersWithinASecond() {
    List<String> listed = new ArrayList<>();
    long[] millis = new long[PROFILES / PAGE];
    for (int page = 0; page < PROFILES / PAGE; page++) {
      long started = System.nanoTime();
      JsonObject data = list("limit=" + PAGE + "&offset=" + page * PAGE);
      millis[page] = (System.nanoTime() - started) / 1_000_000;
      assertThat(data.getLong("total")).isEqualTo(PROFILES);
      data.getJsonArray("profiles").forEach(p -> listed.add(((JsonObject) p).getString("profile_id")));
    }

    assertThat(list("limit=" + PAGE + "&offset=" + PROFILES).getJsonArray("profiles")).isEmpty();
    assertThat(listed).hasSize(PROFILES).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created.keySet());
    long[] sorted = millis.clone();
    Arrays.sort(sorted);
    LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "%d pages of %d: p50 %d ms, max %d ms; first page "
        + "%d ms, last page (offset %d) %d ms", millis.length, PAGE, sorted[sorted.length / 2], sorted[sorted.length - 1],
        millis[0], PROFILES - PAGE, millis[millis.length - 1]));
    assertThat(sorted[sorted.length - 1]).as("slowest page, ms").isLessThan(PAGE_BOUND.toMillis());
  }

  @Test
  void filtersByTitleAndEventStayExactAtScale() {
    Set<String> titled = new HashSet<>();
    created.forEach((id, title) -> {
      if (title.toLowerCase(Locale.ROOT).contains("profile 01")) {
        titled.add(id);
      }
    });
    Set<String> ofEvent = new HashSet<>();
    eventOf.forEach((id, event) -> {
      if (event.equals("E-3")) {
        ofEvent.add(id);
      }
    });
    Set<String> both = new HashSet<>(titled);
    both.retainAll(ofEvent);

    assertThat(allPages("title=" + URLEncoder.encode("PROFILE 01", StandardCharsets.UTF_8))).hasSize(titled.size())
        .containsExactlyInAnyOrderElementsOf(titled);
    assertThat(allPages("event=E-3")).hasSize(1000).containsExactlyInAnyOrderElementsOf(ofEvent);
    assertThat(allPages("title=profile+01&event=E-3")).hasSize(100).containsExactlyInAnyOrderElementsOf(both);
  }

  @Test
  void aPageIsReadThroughTheAccountsIndexNotASortOfTheWholeTable() {
    engine.sql("analyze profiles");
    String plan = String.join("\n", TestEngine.sqlIn(engine.schema, "explain select profile_id from profiles where sid = '"
        + account.sid() + "' and deleted_at is null order by created_at, profile_id limit 100 offset 0"));

    assertThat(plan).as(plan).contains("profiles_by_account").doesNotContain("Sort");
  }

  /** Pages through a filtered listing; answers the ids in the order listed, checking each page's total. */
  private static List<String> allPages(String filter) {
    List<String> ids = new ArrayList<>();
    long total = -1;
    for (int offset = 0; total < 0 || offset < total; offset += PAGE) {
      JsonObject data = list(filter + "&limit=" + PAGE + "&offset=" + offset);
      total = data.getLong("total");
      data.getJsonArray("profiles").forEach(p -> ids.add(((JsonObject) p).getString("profile_id")));
    }
    assertThat(ids).doesNotHaveDuplicates().hasSize((int) total);
    return ids;
  }

  private static JsonObject list(String query) {
    Reply reply = engine.request(GET, "/v1/" + account.sid() + "/callback/profiles?" + query).apiKey(account.apiKey()).send();
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.data();
  }
}
