package io.callbackengine.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The cache's promises, with the database played by a map and a hand-completed load: what is served from memory,
 * when it is not trusted, and that no answer read before a change is ever served after the change was heard.
 */
class NotifiedCacheTest {

  private final AtomicBoolean listening = new AtomicBoolean(true);
  private final AtomicLong now = new AtomicLong();
  private final ConcurrentHashMap<String, String> database = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();

  private final Function<String, Future<Optional<String>>> load = key -> {
    loads.incrementAndGet();
    return Future.succeededFuture(Optional.ofNullable(database.get(key)));
  };

  private NotifiedCache<String, Optional<String>> cache(Duration maxAge, int capacity) {
    return new NotifiedCache<>(maxAge, capacity, listening::get, now::get);
  }

  private static String read(NotifiedCache<String, Optional<String>> cache, String key,
      Function<String, Future<Optional<String>>> load) {
    return cache.get(key, load, Optional::isPresent).result().orElse(null);
  }

  private String read(NotifiedCache<String, Optional<String>> cache, String key) {
    return read(cache, key, load);
  }

  @Test
  void servesAFreshEntryFromMemoryWhileListeningUntilItAgesOut() {
    NotifiedCache<String, Optional<String>> cache = cache(Duration.ofSeconds(60), 100);
    database.put("k", "v1");

    assertThat(read(cache, "k")).isEqualTo("v1");
    database.put("k", "v2");
    now.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(read(cache, "k")).as("within maxAge, from memory").isEqualTo("v1");
    assertThat(loads).hasValue(1);

    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(read(cache, "k")).as("aged out").isEqualTo("v2");
    assertThat(loads).hasValue(2);
  }

  @Test
  void trustsNothingWhileNotListening() {
    NotifiedCache<String, Optional<String>> cache = cache(Duration.ofSeconds(60), 100);
    database.put("k", "v1");
    read(cache, "k");

    listening.set(false);
    database.put("k", "v2");
    assertThat(read(cache, "k")).isEqualTo("v2");
    assertThat(read(cache, "k")).isEqualTo("v2");
    assertThat(loads).hasValue(3);

    // Back: what was read while not listening was not kept.
    cache.clear();
    listening.set(true);
    database.put("k", "v3");
    assertThat(read(cache, "k")).isEqualTo("v3");
  }

  @Test
  void forgettingAKeyReadsItAgainAndLeavesTheOthers() {
    NotifiedCache<String, Optional<String>> cache = cache(Duration.ofSeconds(60), 100);
    database.put("a", "a1");
    database.put("b", "b1");
    read(cache, "a");
    read(cache, "b");

    database.put("a", "a2");
    database.put("b", "b2");
    cache.forget("a");

    assertThat(read(cache, "a")).isEqualTo("a2");
    assertThat(read(cache, "b")).as("b was not forgotten").isEqualTo("b1");
    cache.clear();
    assertThat(read(cache, "b")).isEqualTo("b2");
  }

  @Test
  void keepsOnlyAnswersWorthKeeping() {
    NotifiedCache<String, Optional<String>> cache = cache(Duration.ofSeconds(60), 100);

    assertThat(read(cache, "unknown")).isNull();
    assertThat(read(cache, "unknown")).isNull();
    assertThat(loads).as("a miss is never remembered, so guessing cannot fill the cache").hasValue(2);
  }

  @Test
  void startsOverWhenFull() {
    NotifiedCache<String, Optional<String>> cache = cache(Duration.ofSeconds(60), 2);
    List.of("a", "b", "c").forEach(k -> database.put(k, k));
    read(cache, "a");
    read(cache, "b");
    read(cache, "c");
    assertThat(loads).hasValue(3);

    read(cache, "c");
    assertThat(loads).as("c was kept").hasValue(3);
    read(cache, "a");
    assertThat(loads).as("a went when the cache started over").hasValue(4);
  }

  @Test
  void offReadsTheDatabaseEveryTime() {
    NotifiedCache<String, Optional<String>> cache = NotifiedCache.off();
    database.put("k", "v");

    read(cache, "k");
    read(cache, "k");

    assertThat(loads).hasValue(2);
  }

  @Test
  void aReadInFlightWhenItsKeyChangesDoesNotKeepItsAnswer() {
    NotifiedCache<String, Optional<String>> cache = cache(Duration.ofSeconds(60), 100);
    Promise<Optional<String>> slow = Promise.promise();
    Future<Optional<String>> inFlight = cache.get("k", key -> slow.future(), Optional::isPresent);

    cache.forget("k");
    slow.complete(Optional.of("before the change"));
    database.put("k", "after the change");

    assertThat(inFlight.result()).contains("before the change");
    assertThat(read(cache, "k")).isEqualTo("after the change");
  }

  @Test
  void aReadInFlightWhenListeningStartsAgainDoesNotKeepItsAnswer() {
    NotifiedCache<String, Optional<String>> cache = cache(Duration.ofSeconds(60), 100);
    Promise<Optional<String>> slow = Promise.promise();
    cache.get("k", key -> slow.future(), Optional::isPresent);

    // The connection dropped and came back (notifications meanwhile lost): the owner clears.
    listening.set(false);
    cache.clear();
    listening.set(true);
    slow.complete(Optional.of("maybe outdated"));
    database.put("k", "current");

    assertThat(read(cache, "k")).isEqualTo("current");
  }

  @Test
  void aLateOutdatedAnswerNeverDisplacesOneReadAfterTheChange() {
    NotifiedCache<String, Optional<String>> cache = cache(Duration.ofSeconds(60), 100);
    Promise<Optional<String>> slow = Promise.promise();
    cache.get("k", key -> slow.future(), Optional::isPresent);
    cache.forget("k");
    database.put("k", "current");
    assertThat(read(cache, "k")).isEqualTo("current");

    slow.complete(Optional.of("outdated"));

    assertThat(read(cache, "k")).isEqualTo("current");
    assertThat(loads).as("the answer read after the change is still served from memory").hasValue(1);
  }

  /**
   * Readers on several threads while a writer changes the value and then forgets it, as a NOTIFY would: once a
   * {@code forget} returned, no read that starts afterwards may answer a value older than the one it announced.
   */
  @Test
  void noReadStartedAfterAForgetAnswersAnOlderValue() throws Exception {
    NotifiedCache<String, Optional<String>> cache = new NotifiedCache<>(Duration.ofHours(1), 1000, () -> true,
        System::nanoTime);
    AtomicLong version = new AtomicLong();
    AtomicLong announced = new AtomicLong();
    Function<String, Future<Optional<String>>> versioned = key -> Future.succeededFuture(
        Optional.of(Long.toString(version.get())));
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Thread reader = new Thread(() -> {
        while (running.get() && violations.isEmpty()) {
          long atLeast = announced.get();
          long seen = Long.parseLong(read(cache, "k", versioned));
          if (seen < atLeast) {
            violations.add("read " + seen + " after version " + atLeast + " was announced");
          }
        }
      });
      reader.start();
      readers.add(reader);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < deadline && violations.isEmpty()) {
      long next = version.incrementAndGet();
      cache.forget("k");
      announced.set(next);
      Thread.onSpinWait();
    }
    running.set(false);
    for (Thread reader : readers) {
      reader.join();
    }

    assertThat(violations).isEmpty();
  }
}
