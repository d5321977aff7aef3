package io.callbackengine.producer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Publishes events to the engine over the Vert.x event bus (address {@value #ADDRESS}, API.md §5 and §11), in this
 * JVM or anywhere in the cluster ({@link HazelcastCluster#join}).
 *
 * <p>The protocol: the request body is the event plus {@code sid}; the engine replies after the event and its
 * deliveries are committed, or fails the request with the HTTP status as failure code and the envelope message. An
 * event always carries an {@code id} (the caller's, else a generated UUID) and every attempt repeats it, which is what
 * makes a retry safe: an id the engine has already stored creates nothing new and is answered as a duplicate.
 *
 * <p>Retried, as {@link PublishOptions} says: no reply within the timeout, no engine in the cluster (no handlers),
 * and failures with a 5xx code (the engine could not reach its database). Not retried: a 4xx refusal, which
 * {@link PublishResult.Refused} reports, and failures on this side (Vert.x closed). The returned future never fails
 * and always completes, within {@code maxAttempts × (timeout + maxBackoff)}.
 *
 * <pre>{@code
 * Vertx vertx = HazelcastCluster.join(ClusterSettings.fromEnvironment(System.getenv())).await();
 * EventPublisher publisher = new EventPublisher(vertx, PublishOptions.DEFAULT);
 * publisher.publish(CallbackEvent.of(sid, "SMS-sent").withData(data)).onSuccess(result -> {
 *   if (result instanceof PublishResult.Accepted accepted) { ... accepted.eventId() ... }
 * });
 * }</pre>
 */
public final class EventPublisher {

  /** The engine's intake address. */
  public static final String ADDRESS = "callback.events";

  private final Vertx vertx;
  private final PublishOptions options;
  private final Supplier<String> ids;
  private final DoubleSupplier random;

  public EventPublisher(Vertx vertx, PublishOptions options) {
    this(vertx, options, () -> UUID.randomUUID().toString(), () -> ThreadLocalRandom.current().nextDouble());
  }

  /** With the source of generated ids and of backoff jitter given, for tests. */
  EventPublisher(Vertx vertx, PublishOptions options, Supplier<String> ids, DoubleSupplier random) {
    this.vertx = vertx;
    this.options = options;
    this.ids = ids;
    this.random = random;
  }

  /** Sends {@code event} until the engine answers or the attempts run out; see the class comment. */
  public Future<PublishResult> publish(CallbackEvent event) {
    CallbackEvent identified = event.id() != null ? event : event.withId(ids.get());
    Promise<PublishResult> result = Promise.promise();
    attempt(identified.id(), identified.toJson(), 1, result);
    return result.future();
  }

  private void attempt(String id, JsonObject body, int attempt, Promise<PublishResult> result) {
    vertx.eventBus().<Object>request(ADDRESS, body, new DeliveryOptions().setSendTimeout(options.timeout().toMillis()))
        .onComplete(reply -> {
          if (reply.succeeded()) {
            result.complete(accepted(id, reply.result().body(), attempt));
            return;
          }
          Throwable failure = reply.cause();
          if (failure instanceof ReplyException refusal && refusal.failureType() == ReplyFailure.RECIPIENT_FAILURE
              && refusal.failureCode() < 500) {
            result.complete(new PublishResult.Refused(id, refusal.failureCode(), refusal.getMessage(), attempt));
          } else if (!(failure instanceof ReplyException)) {
            result.complete(new PublishResult.Unanswered(id, attempt, describe(failure)));
          } else if (attempt >= options.maxAttempts()) {
            result.complete(new PublishResult.Unanswered(id, attempt, describe(failure)));
          } else {
            long delay = Math.max(1, options.backoff(attempt, random.getAsDouble()).toMillis());
            vertx.setTimer(delay, fired -> attempt(id, body, attempt + 1, result));
          }
        });
  }

  private static PublishResult accepted(String id, Object body, int attempt) {
    if (body instanceof JsonObject data && data.getValue("events") instanceof JsonArray events
        && !events.isEmpty() && events.getValue(0) instanceof JsonObject first) {
      return new PublishResult.Accepted(id, first.getString("event_id"), first.getInteger("deliveries", 0),
          first.getBoolean("duplicate", false), attempt);
    }
    return new PublishResult.Unanswered(id, attempt, "the reply was not the engine's: " + body);
  }

  private static String describe(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case TIMEOUT -> "no reply in time";
        case NO_HANDLERS -> "no engine in the cluster";
        default -> reply.failureCode() + " " + reply.getMessage();
      };
    }
    return failure.toString();
  }
}
