package io.callbackengine.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.problem.Violation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The envelope every /v1 and /admin answer has (API.md §2), as a client receives it. */
@ExtendWith(VertxExtension.class)
class EnvelopeTest {

  private RouterServer api;
  private final CompletableFuture<Future<Void>> lateWrite = new CompletableFuture<>();

  @BeforeEach
  void start(Vertx vertx, VertxTestContext test) {
    RouterServer.start(vertx, router -> {
      router.get("/created").handler(ctx -> Envelope.success(ctx, 201, "ADM200", "Account created successfully",
          new JsonObject().put("sid", "HX1")));
      router.get("/invalid").handler(ctx -> Envelope.failure(ctx, 400, "RBC302", "body/title must be string",
          List.of(Violation.body("body/title must be string"), Violation.query("query/limit must be >= 1"),
              Violation.params("params/id must match pattern"), Violation.headers("api-key is required"))));
      // The request deadline answered first; the handler's own answer comes later and must not disturb it.
      router.get("/late").handler(ctx -> ctx.response().setStatusCode(503).end("deadline")
          .onComplete(ended -> lateWrite.complete(Envelope.success(ctx, 200, "GEN200", "too late", new JsonObject()))));
    }).onComplete(test.succeeding(started -> {
      api = started;
      test.completeNow();
    }));
  }

  private HttpResponse<?> get(String uri) throws Exception {
    return api.client().get(uri).send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void successCarriesDataAnEmptyErrorObjectAndTheStatusTwice() throws Exception {
    HttpResponse<?> response = get("/created");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
        .put("code", "ADM200").put("message", "Account created successfully")
        .put("data", new JsonObject().put("sid", "HX1")).put("error", new JsonObject()).put("status", 201));
    assertThat(response.bodyAsJsonObject().fieldNames())
        .containsExactly("code", "message", "data", "error", "status");
  }

  @Test
  void failureListsEachViolationAsASingleKeyObjectNamedByWhereItIs() throws Exception {
    HttpResponse<?> response = get("/invalid");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
        .put("code", "RBC302").put("message", "body/title must be string").put("data", new JsonObject())
        .put("error", new JsonArray()
            .add(new JsonObject().put("body", "body/title must be string"))
            .add(new JsonObject().put("query", "query/limit must be >= 1"))
            .add(new JsonObject().put("params", "params/id must match pattern"))
            .add(new JsonObject().put("headers", "api-key is required")))
        .put("status", 400));
  }

  @Test
  void anAnswerAfterTheResponseEndedIsDroppedQuietly() throws Exception {
    HttpResponse<?> response = get("/late");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.bodyAsString()).isEqualTo("deadline");
    Future<Void> late = lateWrite.get(10, TimeUnit.SECONDS);
    assertThat(late.succeeded()).as("no failure for the handler to report on an answered request").isTrue();
  }
}
