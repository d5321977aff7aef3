package io.callbackengine.app;

import io.vertx.core.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each start-up step with how long it took, so that a slow start says where its time went:
 * {@code Start-up: schema took 12 ms}. Steps that run at the same time (the HTTP servers and the dispatcher) each
 * log their own time.
 */
final class StartupSteps {

  private static final Logger LOG = LoggerFactory.getLogger(StartupSteps.class);

  /** Runs {@code step} now, on this thread. */
  <T> T run(String name, Supplier<T> step) {
    long started = System.nanoTime();
    T result = step.get();
    log(name, started);
    return result;
  }

  /** Starts {@code step} and logs when its future completes, whether it succeeded or not. */
  <T> Future<T> await(String name, Supplier<Future<T>> step) {
    long started = System.nanoTime();
    return step.get().onComplete(done -> log(done.failed() ? name + " (failed)" : name, started));
  }

  private static void log(String name, long startedNanos) {
    LOG.info("Start-up: {} took {} ms", name, (System.nanoTime() - startedNanos) / 1_000_000);
  }
}
