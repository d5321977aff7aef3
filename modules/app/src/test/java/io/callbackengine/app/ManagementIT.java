package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.GET;
import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.TestEngine.Reply;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Health, metrics and the OpenAPI document, including a check that it describes every mounted route. */
class ManagementIT {

  private static TestEngine engine;

  @BeforeAll
  static void start() {
    engine = TestEngine.start(TestEngine.freshSchema(ManagementIT.class));
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void liveAndReadyWhenTheDatabaseAnswers() {
    Reply live = engine.request(GET, "/health/live").send();
    Reply ready = engine.request(GET, "/health/ready").send();

    assertThat(live.status()).isEqualTo(200);
    assertThat(live.body().getString("status")).isEqualTo("UP");
    assertThat(ready.status()).isEqualTo(200);
    JsonObject checks = ready.body().getJsonObject("checks");
    assertThat(checks.getString("database")).isEqualTo("UP");
    assertThat(checks.getJsonObject("migrations").getString("status")).isEqualTo("UP");
    assertThat(checks.getJsonObject("migrations").getString("version")).isNotBlank();
  }

  @Test
  void metricsArePrometheusTextWithHttpServerMetrics() {
    engine.request(GET, "/health/live").send();

    Reply metrics = engine.request(GET, "/metrics").send();

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("content-type")).startsWith("text/plain");
    assertThat(metrics.raw().toString()).contains("vertx_http_server_requests_total").contains("# TYPE");
  }

  @Test
  void servesTheOpenApiDocument() {
    Reply doc = engine.request(GET, "/openapi.yaml").send();

    assertThat(doc.status()).isEqualTo(200);
    Map<String, Object> openapi = new Yaml().load(doc.raw().toString());
    assertThat(String.valueOf(openapi.get("openapi"))).startsWith("3.1");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOpenApiDocumentDescribesEveryMountedRoute() {
    Map<String, Object> openapi = new Yaml().load(engine.request(GET, "/openapi.yaml").send().raw().toString());
    Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) openapi.get("paths");
    Router router = engine.app.router(engine.clientVertx);

    List<String> missing = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() == null || route.getPath().endsWith("*") || route.methods() == null) {
        continue; // guards and body handlers, not endpoints
      }
      String path = route.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
      for (HttpMethod method : route.methods()) {
        Map<String, Object> operations = paths.get(path);
        if (operations == null || !operations.containsKey(method.name().toLowerCase(Locale.ROOT))) {
          missing.add(method.name() + " " + path);
        }
      }
    }
    assertThat(router.getRoutes()).hasSizeGreaterThan(10);
    assertThat(missing).as("routes mounted but not in openapi.yaml").isEmpty();
  }
}
