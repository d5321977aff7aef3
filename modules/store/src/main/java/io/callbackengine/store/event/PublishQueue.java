package io.callbackengine.store.event;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit for intake: publishes that arrive while the database is busy share the next statement, so that many
 * small requests cost one commit instead of one each.
 *
 * <p>Up to {@code maxRunning} statements run at once. A publish that finds a free slot runs at once, alone, so an idle
 * engine adds no wait; one that finds them all taken waits in line, and when a statement finishes, everything in line
 * (up to {@code maxEvents} events) goes in the next one. Nothing is acknowledged before the statement holding it
 * commits: this shares commits, it never skips one. A statement that fails fails every publish in it.
 *
 * <p>Thread-safe: HTTP event loops publish concurrently. Each publish completes on the context it was made from.
 *
 * @param <T> one publish, as the statement needs it
 * @param <R> what the statement answers, for all the publishes in it
 */
final class PublishQueue<T, R> {

  private final int maxRunning;
  private final int maxEvents;
  private final Function<List<T>, Future<R>> statement;
  private final ArrayDeque<Waiting<T, R>> line = new ArrayDeque<>();
  private int running;

  private record Waiting<T, R>(T publish, int events, Promise<R> answer, Context context) {
  }

  PublishQueue(int maxRunning, int maxEvents, Function<List<T>, Future<R>> statement) {
    this.maxRunning = maxRunning;
    this.maxEvents = maxEvents;
    this.statement = statement;
  }

  /** Runs {@code publish} in a statement, alone or with others; answers that statement's result once committed. */
  Future<R> submit(T publish, int events) {
    Promise<R> answer = Promise.promise();
    List<Waiting<T, R>> next;
    synchronized (this) {
      line.add(new Waiting<>(publish, events, answer, Vertx.currentContext()));
      next = takeNext();
    }
    if (next != null) {
      run(next);
    }
    return answer.future();
  }

  /** The next statement's publishes, when a slot is free and someone waits; null otherwise. Holds the lock. */
  private List<Waiting<T, R>> takeNext() {
    if (running >= maxRunning || line.isEmpty()) {
      return null;
    }
    running++;
    List<Waiting<T, R>> taken = new ArrayList<>();
    int events = 0;
    while (!line.isEmpty() && (taken.isEmpty() || events + line.peek().events <= maxEvents)) {
      Waiting<T, R> waiting = line.poll();
      events += waiting.events;
      taken.add(waiting);
    }
    return taken;
  }

  private void run(List<Waiting<T, R>> taken) {
    Future<R> result;
    try {
      result = statement.apply(taken.stream().map(Waiting::publish).toList());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      List<Waiting<T, R>> next;
      synchronized (this) {
        running--;
        next = takeNext();
      }
      taken.forEach(waiting -> answer(waiting, done.succeeded() ? Future.succeededFuture(done.result())
          : Future.failedFuture(done.cause())));
      if (next != null) {
        run(next);
      }
    });
  }

  private void answer(Waiting<T, R> waiting, Future<R> outcome) {
    if (waiting.context == null) {
      waiting.answer.handle(outcome);
    } else {
      waiting.context.runOnContext(v -> waiting.answer.handle(outcome));
    }
  }
}
