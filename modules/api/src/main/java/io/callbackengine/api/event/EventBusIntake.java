package io.callbackengine.api.event;

import io.callbackengine.api.ApiFailureHandler;
import io.callbackengine.api.ApiMetrics;
import io.callbackengine.domain.event.EventInput;
import io.callbackengine.domain.problem.StorableText;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.domain.event.IncomingEvent;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.store.StoreUnavailableException;
import io.callbackengine.store.event.EventStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intake over the Vert.x event bus (API.md §5 and §11): address {@value #ADDRESS}, body = an event plus its account's
 * {@code sid}; in a cluster, every process with the API role consumes it and any JVM of the cluster may request it.
 * The reply carries the same data as the HTTP answer, sent after commit; anything that stops the event from being
 * stored gets a failure reply whose code is the HTTP status and whose message is the envelope's {@code message} the
 * HTTP route would answer (400, 404, 503 when the database is unreachable, 500), never silence.
 */
public final class EventBusIntake {

  public static final String ADDRESS = "callback.events";
  private static final Logger LOG = LoggerFactory.getLogger(EventBusIntake.class);

  private final EventStore events;
  private final ApiMetrics metrics;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Promise<Void> drained = Promise.promise();
  private volatile boolean stopping;
  private MessageConsumer<Object> consumer;

  public EventBusIntake(EventStore events, ApiMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  public MessageConsumer<Object> register(EventBus bus) {
    consumer = bus.consumer(ADDRESS, this::handle);
    return consumer;
  }

  /**
   * Stops taking requests (in a cluster, the others stop routing them here) and completes once every request taken
   * is answered, so none is cut off by the pool closing behind it.
   */
  public Future<Void> stop() {
    stopping = true;
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    if (inFlight.get() == 0) {
      drained.tryComplete();
    }
    return unregistered.otherwiseEmpty().compose(done -> drained.future());
  }

  private void handle(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body)) {
      message.fail(400, "body must be a JSON object: the event plus \"sid\"");
      return;
    }
    Optional<Violation> nul = StorableText.inJson(body, Violation.Location.BODY);
    if (nul.isPresent()) {
      message.fail(400, nul.get().message());
      return;
    }
    if (!(body.getValue("sid") instanceof String sid) || sid.isEmpty()) {
      message.fail(400, "body must have required property 'sid'");
      return;
    }
    IncomingEvent event;
    try {
      event = EventInput.fromBusMessage(body);
    } catch (ClientProblem problem) {
      message.fail(problem.httpStatus(), problem.summary());
      return;
    }
    inFlight.incrementAndGet();
    events.publish(sid, List.of(event))
        .onSuccess(accepted -> {
          metrics.accepted(List.of(event), accepted);
          message.reply(EventJson.of(accepted));
        })
        .onFailure(error -> {
          if (error instanceof ClientProblem problem) {
            message.fail(problem.httpStatus(), problem.summary());
          } else if (error instanceof StoreUnavailableException) {
            LOG.warn("Database unavailable while storing an event from the event bus: {}", error.toString());
            message.fail(503, ApiFailureHandler.UNAVAILABLE);
          } else {
            String incident = UUID.randomUUID().toString();
            LOG.error("Unexpected failure {} storing an event from the event bus", incident, error);
            message.fail(500, ApiFailureHandler.internalError(incident));
          }
        })
        .onComplete(answered -> {
          if (inFlight.decrementAndGet() == 0 && stopping) {
            drained.tryComplete();
          }
        });
  }
}
