package io.callbackengine.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.problem.ClientProblem;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A list route's query string, read through a real request: the values a handler gets, and the one 400 listing
 * every problem (unknown names, bounds, repeats, values outside a set).
 */
@ExtendWith(VertxExtension.class)
class QueryParametersTest {

  private RouterServer api;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext test) {
    RouterServer.start(vertx, router -> router.get("/list").handler(QueryParametersTest::list))
        .onComplete(test.succeeding(started -> {
          api = started;
          test.completeNow();
        }));
  }

  /** Reads like a list route, then answers what it read, or the problem as {summary, violations}. */
  private static void list(RoutingContext ctx) {
    QueryParameters query = new QueryParameters(ctx, Set.of("status", "title"));
    JsonObject read = new JsonObject()
        .put("limit", query.limit())
        .put("offset", query.offset())
        .put("status", query.oneOf("status", List.of("delivered", "failed")))
        .put("title", query.text("title"));
    try {
      query.throwIfInvalid();
      ctx.json(read);
    } catch (ClientProblem problem) {
      JsonArray violations = new JsonArray();
      problem.violations().forEach(v -> violations.add(v.location().jsonName() + ": " + v.message()));
      ctx.response().setStatusCode(problem.httpStatus())
          .end(new JsonObject().put("summary", problem.summary()).put("violations", violations).encode());
    }
  }

  private record Answer(int status, JsonObject body) {
    List<Object> violations() {
      return body.getJsonArray("violations").getList();
    }
  }

  private Answer get(String uri) throws Exception {
    var response = api.client().get(uri).send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new Answer(response.statusCode(), response.bodyAsJsonObject());
  }

  @Test
  void absentParametersTakeTheirDefaults() throws Exception {
    Answer answer = get("/list");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo(new JsonObject().put("limit", QueryParameters.DEFAULT_LIMIT).put("offset", 0)
        .putNull("status").putNull("title"));
  }

  @Test
  void readsValuesWithinTheirBounds() throws Exception {
    Answer answer = get("/list?limit=100&offset=2147483647&status=failed&title=Acme%20hooks");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo(new JsonObject().put("limit", QueryParameters.MAX_LIMIT)
        .put("offset", Integer.MAX_VALUE).put("status", "failed").put("title", "Acme hooks"));
  }

  @Test
  void anEmptyFilterIsNoFilter() throws Exception {
    assertThat(get("/list?status=&title=").body().getValue("status")).isNull();
  }

  @Test
  void listsEveryProblemInOneAnswerAndSummarisesWithTheFirst() throws Exception {
    Answer answer = get("/list?limit=0&offset=-1&status=sent&stauts=failed");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.violations()).containsExactly(
        "query: query must NOT have additional property 'stauts'",
        "query: query/limit must be >= 1",
        "query: query/offset must be >= 0",
        "query: query/status must be equal to one of the allowed values: delivered, failed");
    assertThat(answer.body().getString("summary")).isEqualTo("query must NOT have additional property 'stauts'");
  }

  @Test
  void refusesALimitAboveTheMaximumAndNumbersThatAreNotIntegers() throws Exception {
    assertThat(get("/list?limit=101").violations()).containsExactly("query: query/limit must be <= 100");
    assertThat(get("/list?limit=ten&offset=1.5").violations())
        .containsExactly("query: query/limit must be integer", "query: query/offset must be integer");
    assertThat(get("/list?offset=99999999999").violations()).containsExactly("query: query/offset must be integer");
  }

  @Test
  void aFilterGivenTwiceIsRefusedRatherThanHalfApplied() throws Exception {
    assertThat(get("/list?status=failed&status=delivered").violations())
        .containsExactly("query: query/status must be given at most once");
  }

  @Test
  void anUnknownNameIsEchoedWithoutItsControlCharacters() throws Exception {
    assertThat(get("/list?a%0Ab=1").violations())
        .containsExactly("query: query must NOT have additional property 'a?b'");
  }
}
