package io.callbackengine.api.event;

import io.callbackengine.api.ApiMetrics;
import io.callbackengine.domain.event.EventInput;
import io.callbackengine.domain.problem.StorableText;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.domain.event.IncomingEvent;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.store.event.EventStore;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intake over the Vert.x event bus (API.md §5): address {@value #ADDRESS}, body = an event plus its account's
 * {@code sid}. The reply carries the same data as the HTTP answer, sent after commit; anything that stops the event
 * from being stored gets a failure reply (the HTTP status as failure code), never silence.
 */
public final class EventBusIntake {

  public static final String ADDRESS = "callback.events";
  private static final Logger LOG = LoggerFactory.getLogger(EventBusIntake.class);

  private final EventStore events;
  private final ApiMetrics metrics;

  public EventBusIntake(EventStore events, ApiMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  public MessageConsumer<Object> register(EventBus bus) {
    return bus.consumer(ADDRESS, this::handle);
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
    events.publish(sid, List.of(event))
        .onSuccess(accepted -> {
          metrics.accepted(List.of(event), accepted);
          message.reply(EventJson.of(accepted));
        })
        .onFailure(error -> {
          if (error instanceof ClientProblem problem) {
            message.fail(problem.httpStatus(), problem.summary());
          } else {
            LOG.error("Storing an event from the event bus failed", error);
            message.fail(503, "the event could not be stored; it was not accepted");
          }
        });
  }
}
