package io.callbackengine.store.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Group commit without a database: the statement is a function the test completes by hand, so each test decides
 * when a "commit" happens and checks who shares it, who waits, and who hears what.
 */
@ExtendWith(VertxExtension.class)
class PublishQueueTest {

  /** The statements the queue ran, in order, with the publishes each holds; each runs until the test ends it. */
  private static final class Statements implements Function<List<String>, Future<String>> {
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final List<Promise<String>> running = new CopyOnWriteArrayList<>();

    @Override
    public Future<String> apply(List<String> publishes) {
      if (publishes.contains("throws")) {
        throw new IllegalStateException("statement could not be built");
      }
      batches.add(publishes);
      Promise<String> commit = Promise.promise();
      running.add(commit);
      return commit.future();
    }

    void commit(int statement) {
      running.get(statement).complete("statement " + statement);
    }
  }

  private final Statements statements = new Statements();

  @Test
  void anIdleQueueRunsAPublishAtOnceAndAlone() {
    PublishQueue<String, String> queue = new PublishQueue<>(2, 100, statements);

    Future<String> a = queue.submit("a", 1);

    assertThat(statements.batches).containsExactly(List.of("a"));
    assertThat(a.isComplete()).as("answered before its statement committed").isFalse();
    statements.commit(0);
    assertThat(a.result()).isEqualTo("statement 0");
  }

  @Test
  void publishesArrivingWhileEveryStatementRunsShareTheNextOneInArrivalOrder() {
    PublishQueue<String, String> queue = new PublishQueue<>(2, 100, statements);
    Future<String> a = queue.submit("a", 1);
    Future<String> b = queue.submit("b", 1);
    List<Future<String>> waiting = List.of(queue.submit("c", 1), queue.submit("d", 2), queue.submit("e", 1));

    assertThat(statements.batches).containsExactly(List.of("a"), List.of("b"));
    statements.commit(1);

    assertThat(b.result()).isEqualTo("statement 1");
    assertThat(statements.batches).containsExactly(List.of("a"), List.of("b"), List.of("c", "d", "e"));
    assertThat(waiting).noneMatch(Future::isComplete);
    statements.commit(2);

    assertThat(waiting).extracting(Future::result).containsOnly("statement 2");
    assertThat(a.isComplete()).as("the first statement has not committed yet").isFalse();
  }

  @Test
  void aSharedStatementHoldsAtMostMaxEventsButALargerPublishStillRunsAlone() {
    PublishQueue<String, String> queue = new PublishQueue<>(1, 10, statements);
    queue.submit("a", 1);
    queue.submit("b", 4);
    queue.submit("c", 5);
    queue.submit("d", 3);
    Future<String> large = queue.submit("large", 25);
    queue.submit("f", 1);

    for (int n = 0; n < 4; n++) {
      statements.commit(n);
    }

    assertThat(statements.batches).containsExactly(List.of("a"), List.of("b", "c"), List.of("d"), List.of("large"),
        List.of("f"));
    assertThat(large.result()).isEqualTo("statement 3");
  }

  @Test
  void aFailedStatementFailsEveryPublishInItAndTheLineMovesOn() {
    PublishQueue<String, String> queue = new PublishQueue<>(1, 100, statements);
    Future<String> a = queue.submit("a", 1);
    Future<String> b = queue.submit("b", 1);
    Future<String> c = queue.submit("c", 1);
    RuntimeException lost = new RuntimeException("connection lost");

    statements.running.get(0).fail(lost);

    assertThat(a.cause()).isSameAs(lost);
    assertThat(statements.batches).containsExactly(List.of("a"), List.of("b", "c"));
    statements.running.get(1).fail(lost);
    assertThat(List.of(b, c)).extracting(Future::cause).containsOnly(lost);

    Future<String> d = queue.submit("d", 1);
    statements.commit(2);
    assertThat(d.result()).as("the slots of failed statements are free again").isEqualTo("statement 2");
  }

  @Test
  void aStatementThatThrowsFailsItsPublishesAndFreesItsSlot() {
    PublishQueue<String, String> queue = new PublishQueue<>(1, 100, statements);

    Future<String> thrown = queue.submit("throws", 1);
    Future<String> next = queue.submit("next", 1);

    assertThat(thrown.cause()).hasMessage("statement could not be built");
    assertThat(statements.batches).containsExactly(List.of("next"));
    statements.commit(0);
    assertThat(next.result()).isEqualTo("statement 0");
  }

  @Test
  void eachPublishIsAnsweredOnTheContextItWasMadeFrom(Vertx vertx, VertxTestContext test) throws Exception {
    PublishQueue<String, String> queue = new PublishQueue<>(1, 100, statements);
    Context first = vertx.getOrCreateContext();
    Context second = vertx.getOrCreateContext();
    assertThat(first).isNotSameAs(second);
    CountDownLatch submitted = new CountDownLatch(2);
    var answered = test.checkpoint(2);
    first.runOnContext(v -> {
      queue.submit("a", 1).onComplete(done -> test.verify(() -> {
        assertThat(Vertx.currentContext()).isSameAs(first);
        answered.flag();
      }));
      submitted.countDown();
    });
    second.runOnContext(v -> {
      queue.submit("b", 1).onComplete(done -> test.verify(() -> {
        assertThat(Vertx.currentContext()).isSameAs(second);
        answered.flag();
      }));
      submitted.countDown();
    });
    assertThat(submitted.await(10, TimeUnit.SECONDS)).isTrue();

    // Commits are heard on whatever thread the database client uses: here, the test's own.
    statements.commit(0);
    statements.commit(1);
  }

  /**
   * Publishers on many threads, statements committing on the "database's" threads after a random while: each publish
   * runs in exactly one statement and hears that statement's answer. With one statement at a time, statements also
   * start in the order their publishes were made (with more, two statements taken in order may start the other way
   * round, and commit in any order anyway).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void concurrentPublishersAreEachAnsweredOnceByTheStatementThatHeldThem(int maxRunning) throws Exception {
    int maxEvents = 50;
    AtomicInteger runningNow = new AtomicInteger();
    AtomicInteger mostRunning = new AtomicInteger();
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    ScheduledExecutorService database = Executors.newScheduledThreadPool(2);
    Map<String, Integer> eventsOf = new ConcurrentHashMap<>();
    PublishQueue<String, Integer> queue = new PublishQueue<>(maxRunning, maxEvents, publishes -> {
      mostRunning.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
      int statement;
      synchronized (batches) {
        statement = batches.size();
        batches.add(publishes);
      }
      Promise<Integer> commit = Promise.promise();
      database.schedule(() -> {
        runningNow.decrementAndGet();
        commit.complete(statement);
      }, ThreadLocalRandom.current().nextInt(500), TimeUnit.MICROSECONDS);
      return commit.future();
    });

    int publishers = 8;
    int each = 300;
    List<List<Future<Integer>>> answers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < publishers; t++) {
      List<Future<Integer>> mine = new ArrayList<>();
      answers.add(mine);
      int publisher = t;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < each; i++) {
          String publish = publisher + "/" + i;
          int events = 1 + ThreadLocalRandom.current().nextInt(20);
          eventsOf.put(publish, events);
          mine.add(queue.submit(publish, events));
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    try {
      Future.all(answers.stream().flatMap(List::stream).toList()).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } finally {
      database.shutdownNow();
    }

    Map<String, Integer> statementOf = new HashMap<>();
    for (int s = 0; s < batches.size(); s++) {
      List<String> batch = batches.get(s);
      for (String publish : batch) {
        assertThat(statementOf.put(publish, s)).as("%s ran in one statement only", publish).isNull();
      }
      if (batch.size() > 1) {
        assertThat(batch.stream().mapToInt(eventsOf::get).sum()).isLessThanOrEqualTo(maxEvents);
      }
    }
    assertThat(statementOf).hasSize(publishers * each);
    assertThat(mostRunning.get()).isBetween(1, maxRunning);
    assertThat(batches.size()).as("commits were shared").isLessThan(publishers * each);
    for (int t = 0; t < publishers; t++) {
      int previous = -1;
      for (int i = 0; i < each; i++) {
        int statement = statementOf.get(t + "/" + i);
        assertThat(answers.get(t).get(i).result()).as("answered by the statement that held it").isEqualTo(statement);
        if (maxRunning == 1) {
          assertThat(statement).as("a publisher's publishes commit in the order it made them")
              .isGreaterThanOrEqualTo(previous);
        }
        previous = statement;
      }
    }
  }
}
