package io.callbackengine.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher's retry rules against a scripted engine on a local event bus: what is retried (timeouts, no engine,
 * 5xx), what is not (4xx), that every attempt repeats one id, and that it gives up after the last attempt.
 */
class EventPublisherTest {

  private static final PublishOptions FAST = new PublishOptions(Duration.ofMillis(150), 4, Duration.ofMillis(20),
      Duration.ofMillis(50), 0.2);

  private final Vertx vertx = Vertx.vertx();
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final EventPublisher publisher = new EventPublisher(vertx, FAST, () -> "generated-1", () -> 0.5);

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRequestWithoutReplyIsRepeatedWithTheSameGeneratedIdUntilTheEngineAnswers() throws Exception {
    engine((n, message) -> {
      if (n == 3) {
        message.reply(reply("evt_1", 2, false));
      }
    });

    PublishResult result = publish(CallbackEvent.of("HX1", "SMS-sent"));

    assertThat(result).isEqualTo(new PublishResult.Accepted("generated-1", "evt_1", 2, false, 3));
    assertThat(requests).hasSize(3).allSatisfy(body -> assertThat(body.getString("id")).isEqualTo("generated-1"));
  }

  @Test
  void theCallersIdIsKeptAndADuplicateReplySaysSo() throws Exception {
    engine((n, message) -> message.reply(reply("evt_first", 1, true)));

    PublishResult result = publish(CallbackEvent.of("HX1", "SMS-sent").withId("order-42")
        .withData(new JsonObject().put("status", "DELIVRD")));

    assertThat(result).isEqualTo(new PublishResult.Accepted("order-42", "evt_first", 1, true, 1));
    assertThat(requests.get(0)).isEqualTo(new JsonObject().put("sid", "HX1").put("id", "order-42")
        .put("event", "SMS-sent").put("data", new JsonObject().put("status", "DELIVRD")));
  }

  @Test
  void aRefusalIsFinal() throws Exception {
    engine((n, message) -> message.fail(404, "No account exists with this sid"));

    PublishResult result = publish(CallbackEvent.of("HX-unknown", "SMS-sent"));

    assertThat(result).isEqualTo(new PublishResult.Refused("generated-1", 404, "No account exists with this sid", 1));
    assertThat(requests).hasSize(1);
  }

  @Test
  void aServerSideFailureIsRetried() throws Exception {
    engine((n, message) -> {
      if (n == 1) {
        message.fail(503, "Service temporarily unavailable, try again shortly");
      } else {
        message.reply(reply("evt_2", 1, true));
      }
    });

    assertThat(publish(CallbackEvent.of("HX1", "SMS-sent")))
        .isEqualTo(new PublishResult.Accepted("generated-1", "evt_2", 1, true, 2));
  }

  @Test
  void withNoEngineItRetriesAndAnEngineRegisteringLaterServesIt() throws Exception {
    PublishOptions patient = FAST.withMaxAttempts(40);
    EventPublisher waiting = new EventPublisher(vertx, patient, () -> "generated-2", () -> 0.5);
    Future<PublishResult> pending = waiting.publish(CallbackEvent.of("HX1", "SMS-sent"));
    vertx.setTimer(300, later -> engine((n, message) -> message.reply(reply("evt_3", 1, false))));

    PublishResult result = pending.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(result).isInstanceOfSatisfying(PublishResult.Accepted.class, accepted -> {
      assertThat(accepted.eventId()).isEqualTo("evt_3");
      assertThat(accepted.attempts()).isGreaterThan(1);
    });
  }

  @Test
  void itGivesUpAfterTheLastAttemptAndNamesTheIdToRepeat() throws Exception {
    engine((n, message) -> { });

    PublishResult result = publish(CallbackEvent.of("HX1", "SMS-sent"));

    assertThat(result).isEqualTo(new PublishResult.Unanswered("generated-1", 4, "no reply in time"));
    assertThat(requests).hasSize(4);
  }

  @Test
  void withNoEngineAtAllItGivesUpInsteadOfWaiting() throws Exception {
    long started = System.nanoTime();

    PublishResult result = publish(CallbackEvent.of("HX1", "SMS-sent"));

    assertThat(result).isEqualTo(new PublishResult.Unanswered("generated-1", 4, "no engine in the cluster"));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  /** Registers a scripted intake: {@code script} gets the request's number (from 1) and the message. */
  private void engine(BiConsumer<Integer, Message<Object>> script) {
    vertx.eventBus().consumer(EventPublisher.ADDRESS, message -> {
      requests.add((JsonObject) message.body());
      script.accept(requests.size(), message);
    });
  }

  private PublishResult publish(CallbackEvent event) throws Exception {
    return publisher.publish(event).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject reply(String eventId, int deliveries, boolean duplicate) {
    return new JsonObject().put("events", new JsonArray().add(new JsonObject().put("event_id", eventId)
        .put("id", "ignored").put("deliveries", deliveries).put("duplicate", duplicate)));
  }
}
