package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.FaultLoad.Answer;
import io.callbackengine.app.FaultLoad.Kind;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one {@link DatabaseFaultsIT} scenario measured, on the {@link FaultLoad} clock, and the checks every scenario
 * shares. The fault lasts from {@code faultAt} to {@code restoredAt}; {@code recoveredAt} is when the first publish
 * sent after that was acknowledged; {@code steadyAt} is when the engine had kept up with the load before the fault.
 *
 * @param acknowledged events answered 202
 * @param deliveries the deliveries of the acknowledged events
 * @param arrived delivery ids the receiver got (its {@code webhook-id} headers)
 * @param stored events of this scenario in the database, acknowledged or not
 * @param listeners LISTEN backends of the engine started after the fault ended
 */
record FaultOutcome(String name, List<Answer> answers, long steadyAt, long faultAt, long restoredAt, long recoveredAt,
    int acknowledged, List<String> deliveries, Set<String> arrived, long stored, long listeners) {

  private static final System.Logger LOG = System.getLogger(FaultOutcome.class.getName());
  /** Every answer, during a fault too, comes within this (the engine's deadline is 1 s; the rest is CI noise). */
  static final long ANSWER_BOUND_MS = 2_000;
  /** After the fault ends, the engine accepts events again within this. */
  static final long RECOVERY_BOUND_MS = 10_000;
  /** One line of figures per scenario of a run. */
  static final Path FIGURES = Path.of("target", "database-faults.txt");

  Stream<Answer> during() {
    return answers.stream().filter(a -> a.sentAt() >= faultAt && a.sentAt() < recoveredAt);
  }

  long maxDuringMs() {
    return during().mapToLong(Answer::tookMs).max().orElse(0);
  }

  /** The fault really happened (503s, readiness DOWN) and was handled. */
  void assertFaultSeenAndHandled() {
    report("");
    assertThat(during().filter(a -> a.kind() == Kind.PUBLISH && a.status() == 503).count())
        .as("publishes refused with 503 during the fault").isPositive();
    assertThat(during().filter(a -> a.kind() == Kind.PROFILE && a.status() == 503).count())
        .as("profile reads refused with 503 during the fault").isPositive();
    List<Answer> down = during().filter(a -> a.kind() == Kind.READY && a.status() == 503).toList();
    assertThat(down).as("readiness 503 during the fault").isNotEmpty();
    assertThat(down.stream().map(a -> a.body().getJsonObject("checks").getString("database")).distinct().toList())
        .as("readiness names the database").containsExactly("DOWN");
    assertHandled();
  }

  void assertHandled() {
    assertThat(offenders(a -> a.status() == -1)).as("requests never answered (hang or dropped connection)").isEmpty();
    assertThat(offenders(a -> a.status() >= 500 && a.status() != 503)).as("server errors other than 503").isEmpty();
    assertThat(offenders(a -> a.status() == 503 && a.kind() != Kind.READY && !(a.body().getString("code", "")
        .equals("SRV503") && a.body().getInteger("status", 0) == 503 && !a.body().getJsonArray("error").isEmpty())))
        .as("API 503s not in the envelope").isEmpty();
    assertThat(offenders(a -> outsideTheFault(a) && a.status() >= 300 && !missedDeadline(a)))
        .as("failures before the fault or a second after recovery").isEmpty();
    assertThat(answers.stream().filter(a -> outsideTheFault(a) && missedDeadline(a)).count())
        .as("requests that missed the 1 s deadline outside the fault (CPU contention): rare")
        .isLessThanOrEqualTo(answers.stream().filter(this::outsideTheFault).count() / 50);
    assertThat(offenders(a -> a.tookMs() > ANSWER_BOUND_MS)).as("answers slower than " + ANSWER_BOUND_MS + " ms")
        .isEmpty();
    assertThat(recoveredAt - restoredAt).as("recovery time").isLessThanOrEqualTo(RECOVERY_BOUND_MS);
    assertThat(deliveries).as("a delivery for every acknowledged event").hasSize(acknowledged);
    assertThat(arrived).as("every acknowledged event delivered").containsAll(deliveries);
    assertThat(listeners).as("the dispatcher listens for new deliveries again").isPositive();
  }

  /**
   * Sent once the engine kept up with the load and answered before the fault began, or sent a second after it
   * recovered. On a machine shared with other builds a request can miss the deadline there without any fault: such
   * 503s are counted, reported and must stay rare; any other failure there fails the test.
   */
  boolean outsideTheFault(Answer a) {
    return a.sentAt() >= steadyAt && a.answeredAt() < faultAt || a.sentAt() >= recoveredAt + 1_000;
  }

  /** The API's 503 for a request past its deadline (rather than for a database it could not reach). */
  boolean missedDeadline(Answer a) {
    return a.status() == 503 && a.kind() != Kind.READY
        && a.body().getJsonArray("error", new JsonArray()).encode().contains("in time");
  }

  /** The answers that match {@code bad}, the first 10 of them, as short lines. */
  private List<String> offenders(Predicate<Answer> bad) {
    List<Answer> all = answers.stream().filter(bad).toList();
    List<String> lines = new ArrayList<>(all.stream().limit(10).map(Answer::toString).toList());
    if (all.size() > 10) {
      lines.add("... " + (all.size() - 10) + " more");
    }
    return lines;
  }

  void report(String extra) {
    Map<Integer, Long> statuses = answers.stream().collect(Collectors.groupingBy(Answer::status,
        TreeMap::new, Collectors.counting()));
    long publishes = answers.stream().filter(a -> a.kind() == Kind.PUBLISH).count();
    String line = String.format(Locale.ROOT,
        "%s: fault %d ms; max answer during fault %d ms (max overall %d ms); recovered %d ms after the fault ended;"
            + " publishes %d, acknowledged %d, delivered %d, lost %d, stored without acknowledgement %d;"
            + " answers by status %s%s",
        name, restoredAt - faultAt, maxDuringMs(), answers.stream().mapToLong(Answer::tookMs).max().orElse(0),
        recoveredAt - restoredAt, publishes, acknowledged, deliveredCount(), acknowledged - deliveredCount(),
        stored - acknowledged, statuses, (extra.isEmpty() ? "" : "; " + extra) + "; 503s outside the fault "
            + answers.stream().filter(a -> outsideTheFault(a) && a.status() == 503).count()
            + "; listeners after " + listeners);
    LOG.log(System.Logger.Level.INFO, line);
    try {
      Files.write(Path.of("target", "database-faults-" + name + ".csv"), Stream.concat(
          Stream.of("sent_ms,kind,status,took_ms  (fault " + faultAt + "-" + restoredAt + ", recovered " + recoveredAt
              + ")"),
          answers.stream().sorted(Comparator.comparingLong(Answer::sentAt))
              .map(a -> a.sentAt() + "," + a.kind() + "," + a.status() + "," + a.tookMs())).toList());
      Files.writeString(FIGURES, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private long deliveredCount() {
    return deliveries.stream().filter(arrived::contains).count();
  }
}
