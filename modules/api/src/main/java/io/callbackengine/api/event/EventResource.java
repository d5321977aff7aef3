package io.callbackengine.api.event;

import io.callbackengine.api.ApiMetrics;
import io.callbackengine.api.ApiResource;
import io.callbackengine.api.Envelope;
import io.callbackengine.api.JsonRequest;
import io.callbackengine.api.ResponseCodes;
import io.callbackengine.domain.event.EventInput;
import io.callbackengine.domain.event.IncomingEvent;
import java.util.List;
import io.callbackengine.store.event.EventStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/{sid}/callback/events}: one event or up to 1000. Answers 202 only after the events and their
 * deliveries are committed; a failure before that answers an error, so an acknowledged event is never lost.
 */
public final class EventResource implements ApiResource {

  private final EventStore events;
  private final ApiMetrics metrics;

  public EventResource(EventStore events, ApiMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/:sid/callback/events").handler(this::publish);
  }

  private void publish(RoutingContext ctx) {
    List<IncomingEvent> incoming = EventInput.fromRequest(JsonRequest.value(ctx));
    events.publish(ctx.pathParam("sid"), incoming)
        .onSuccess(accepted -> metrics.accepted(incoming, accepted))
        .compose(accepted -> Envelope.success(ctx, 202, ResponseCodes.EVENTS.success(), "Events accepted",
            EventJson.of(accepted)))
        .onFailure(ctx::fail);
  }
}
