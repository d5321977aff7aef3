package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The check every integration test's replies go through must be able to fail: hand-made replies that break
 * openapi.yaml in each way it can be broken are refused, and the message names the operation, status and problem.
 */
class ContractCheckTest {

  private static final String DELIVERY = "/v1/HX7Q2M9K4TRIN/callback/deliveries/msg_ccf627390bc344b3ae8b016ab9337316";
  private static final String JSON = "application/json";

  private final ContractCheck check = ContractCheck.shared();

  @Test
  void aDeliveryAsTheEngineWritesItConforms() {
    assertThat(check.violation(HttpMethod.GET, DELIVERY, 200, JSON, success("Delivery fetched successfully",
        delivery().put("attempts", new JsonArray().add(attempt()))))).isEmpty();
    assertThat(check.violation(HttpMethod.POST, DELIVERY + "/retry", 200, JSON,
        success("Delivery re-queued", delivery()))).isEmpty();
  }

  @Test
  void aPropertyTheSchemaDoesNotListIsRefused() {
    Buffer drifted = success("Delivery fetched successfully",
        delivery().put("attempts", new JsonArray()).put("surprise", 1));

    assertThatThrownBy(() -> check.verify(HttpMethod.GET, DELIVERY, 200, JSON, drifted))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("GET /v1/{sid}/callback/deliveries/{deliveryId} (getDelivery) answered 200")
        .hasMessageContaining("#/data/surprise");
  }

  @Test
  void aMissingRequiredPropertyIsRefused() {
    JsonObject delivery = delivery();
    delivery.remove("last_http_status");

    assertThat(check.violation(HttpMethod.POST, DELIVERY + "/retry", 200, JSON, success("Delivery re-queued",
        delivery))).get().asString().contains("retryDelivery").contains("last_http_status");
  }

  @Test
  void attemptsInTheRetryAnswerAreRefused() {
    assertThat(check.violation(HttpMethod.POST, DELIVERY + "/retry", 200, JSON, success("Delivery re-queued",
        delivery().put("attempts", new JsonArray())))).get().asString().contains("#/data/attempts");
  }

  @Test
  void aStatusTheOperationDoesNotDocumentIsRefused() {
    assertThat(check.violation(HttpMethod.GET, DELIVERY, 418, JSON, failure("DLV400", 418)))
        .get().asString().contains("(getDelivery) answered 418, a status the operation does not document");
  }

  @Test
  void anotherContentTypeIsRefused() {
    assertThat(check.violation(HttpMethod.GET, DELIVERY, 404, "text/html", failure("DLV400", 404)))
        .get().asString().contains("Content-Type 'text/html'");
    assertThat(check.violation(HttpMethod.GET, "/metrics", 200, "text/plain; version=0.0.4; charset=utf-8",
        Buffer.buffer("# HELP x\n"))).isEmpty();
  }

  @Test
  void anotherFamilysCodeIsRefused() {
    assertThat(check.violation(HttpMethod.GET, DELIVERY, 404, JSON, failure("DLV400", 404))).isEmpty();
    assertThat(check.violation(HttpMethod.GET, DELIVERY, 404, JSON, failure("RBC302", 404))).isPresent();
  }

  @Test
  void pathsNoOperationMatchesMustStillAnswerTheirFamilysEnvelope() {
    assertThat(check.violation(HttpMethod.GET, "/v1/", 404, JSON, failure("GEN400", 404))).isEmpty();
    assertThat(check.violation(HttpMethod.GET, "/v1/HX1/callback", 404, JSON, failure("GEN400", 404))).isEmpty();
    assertThat(check.violation(HttpMethod.PUT, "/v1/HX1/callback/profiles", 405, JSON, failure("RBC302", 405)))
        .isEmpty();
    assertThat(check.violation(HttpMethod.GET, "/v1/HX1/callback", 404, JSON, failure("RBC302", 404)))
        .get().asString().contains("GeneralError");
    assertThat(check.violation(HttpMethod.GET, "/foo", 200, JSON, success("Fine", new JsonObject())))
        .get().asString().contains("a success from a request the document does not describe");
    assertThat(check.violation(HttpMethod.GET, "/foo", 500, JSON, failure("GEN400", 500))).isPresent();
  }

  @Test
  void aProcessWithoutTheApiRoleAnswersOnlyManagementOperations() {
    Buffer notServed = failure("ADM400", 404);

    assertThat(check.managementOnly().violation(HttpMethod.GET, "/admin/accounts", 404, JSON, notServed)).isEmpty();
    assertThat(check.violation(HttpMethod.GET, "/admin/accounts", 404, JSON, notServed)).isPresent();
  }

  /** The hook every integration test's client goes through: a drifted reply fails the request that got it. */
  @Test
  void aWatchedClientFailsTheRequestThatGotADriftedReply() {
    Vertx vertx = Vertx.vertx();
    try {
      Buffer drifted = success("Delivery fetched successfully", delivery().put("attempts", new JsonArray())
          .put("surprise", 1));
      HttpServer server = TestEngine.await(vertx.createHttpServer().requestHandler(request -> request.response()
          .putHeader("content-type", JSON).end(request.path().endsWith("/drifted") ? drifted
              : success("Delivery fetched successfully", delivery().put("attempts", new JsonArray()))))
          .listen(0, "127.0.0.1"));
      List<AssertionError> drifts = new CopyOnWriteArrayList<>();
      WebClient client = check.watch(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(server.actualPort())), drifts);

      assertThat(TestEngine.await(client.get(DELIVERY).send()).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> TestEngine.await(client.get("/v1/HX1/callback/deliveries/drifted").send()))
          .isInstanceOf(AssertionError.class).hasMessageContaining("(getDelivery) answered 200")
          .hasMessageContaining("#/data/surprise");
      assertThat(drifts).hasSize(1);
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  private static JsonObject delivery() {
    return new JsonObject()
        .put("delivery_id", "msg_ccf627390bc344b3ae8b016ab9337316")
        .put("event_id", "evt_6e4093238ab047e7930a116c356ad765")
        .put("profile_id", "SG_6559294a-4855-47f0-9419-8e2f133ac6e8")
        .put("event", "SMS-sent")
        .put("channel", "sms")
        .put("status", "pending")
        .put("attempt_count", 1)
        .put("next_attempt_at", "2024-05-02T09:50:33.000Z")
        .put("created_at", "2024-05-02T09:20:01.250Z")
        .putNull("finished_at")
        .put("last_http_status", 503)
        .put("last_error", "HTTP 503");
  }

  private static JsonObject attempt() {
    return new JsonObject()
        .put("attempt", 1)
        .put("started_at", "2024-05-02T09:20:01.300Z")
        .put("duration_ms", 184)
        .put("http_status", 503)
        .put("error", "HTTP 503")
        .put("response_excerpt", "down")
        .put("unknown_placeholders", new JsonArray());
  }

  private static Buffer success(String message, JsonObject data) {
    return new JsonObject().put("code", "DLV200").put("message", message).put("data", data)
        .put("error", new JsonObject()).put("status", 200).toBuffer();
  }

  private static Buffer failure(String code, int status) {
    return new JsonObject().put("code", code).put("message", "No such thing").put("data", new JsonObject())
        .put("error", new JsonArray().add(new JsonObject().put("params", "no such thing"))).put("status", status)
        .toBuffer();
  }
}
