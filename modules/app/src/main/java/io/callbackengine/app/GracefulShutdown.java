package io.callbackengine.app;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the engine the orderly way: stop claiming, let attempts in flight finish within the
 * grace period, put the rest back in the queue, close the pool, and exit 0. The signal is handled directly (not
 * through a shutdown hook) so a clean stop reports success to the process supervisor.
 */
final class GracefulShutdown {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  private GracefulShutdown() {
  }

  static void onSignals(Application app) {
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop = () -> {
      if (!stopping.compareAndSet(false, true)) {
        return;
      }
      LOG.info("Stopping: draining deliveries in flight");
      int status = 0;
      try {
        app.stop().toCompletionStage().toCompletableFuture().get();
        LOG.info("Stopped");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        status = 1;
      } catch (ExecutionException e) {
        LOG.warn("Stop did not complete cleanly: {}", e.getCause().toString());
        status = 1;
      }
      System.exit(status);
    };
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> new Thread(stop, "shutdown").start());
    }
  }
}
