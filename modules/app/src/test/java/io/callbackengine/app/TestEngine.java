package io.callbackengine.app;

import io.callbackengine.app.config.EngineConfig;
import io.callbackengine.dispatcher.HostResolver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real engine for integration tests: started in-process on a free port against the local PostgreSQL, in a schema
 * of its own so test classes never see each other's rows, plus an HTTP client to talk to it. Every reply that client
 * receives is held to openapi.yaml ({@link ContractCheck}): a reply the document does not allow fails the test.
 */
final class TestEngine implements AutoCloseable {

  static final String ADMIN_TOKEN = "test-admin-token";
  /** Base64 of 32 bytes, fixed so that a restarted engine opens what the first one sealed. */
  static final String MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  static final String DATABASE_URL = System.getenv().getOrDefault("CALLBACK_TEST_DATABASE_URL",
      "postgresql://postgres@127.0.0.1:5432/postgres");

  final String schema;
  final Map<String, String> environment;
  final Application app;
  final Vertx clientVertx;
  final WebClient client;

  private final boolean ownsSchema;

  private TestEngine(String schema, Map<String, String> environment, Application app, boolean ownsSchema) {
    this.ownsSchema = ownsSchema;
    this.schema = schema;
    this.environment = environment;
    this.app = app;
    this.clientVertx = Vertx.vertx();
    boolean servesApi = EngineConfig.load(java.util.Optional.empty(), environment).has(EngineConfig.Role.API);
    this.client = (servesApi ? ContractCheck.shared() : ContractCheck.shared().managementOnly())
        .watch(WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
            .setDefaultPort(app.httpPort()).setFollowRedirects(false)));
  }

  /** A schema name unique to one test class and run. */
  static String freshSchema(Class<?> testClass) {
    return ("it_" + testClass.getSimpleName() + "_" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT);
  }

  static Map<String, String> environment(String schema) {
    Map<String, String> env = new HashMap<>();
    env.put("CALLBACK_DATABASE_URL", DATABASE_URL);
    env.put("CALLBACK_DATABASE_SCHEMA", schema);
    env.put("CALLBACK_DATABASE_POOL_SIZE", "4");
    env.put("CALLBACK_HTTP_PORT", "0");
    env.put("CALLBACK_HTTP_HOST", "127.0.0.1");
    env.put("CALLBACK_HTTP_INSTANCES", "1");
    env.put("CALLBACK_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("CALLBACK_MASTER_KEY", MASTER_KEY);
    return env;
  }

  /** Settings for delivery tests: the local receiver allowed, a short retry schedule, short timeouts and polls. */
  static Map<String, String> dispatchEnvironment(String schema) {
    Map<String, String> env = environment(schema);
    env.put("CALLBACK_ALLOWED_CIDRS", "127.0.0.1/32");
    env.put("CALLBACK_RETRY_SCHEDULE", "200ms,200ms,200ms");
    env.put("CALLBACK_RETRY_JITTER", "0");
    env.put("CALLBACK_DISPATCH_POLL_INTERVAL", "200ms");
    env.put("CALLBACK_DISPATCH_REAPER_INTERVAL", "500ms");
    env.put("CALLBACK_DISPATCH_CONNECT_TIMEOUT", "1s");
    env.put("CALLBACK_DISPATCH_REQUEST_TIMEOUT", "2s");
    env.put("CALLBACK_DISPATCH_LEASE", "5s");
    env.put("CALLBACK_DISPATCH_SHUTDOWN_GRACE", "2s");
    return env;
  }

  static TestEngine start(String schema) {
    return start(schema, environment(schema));
  }

  static TestEngine start(String schema, Map<String, String> environment) {
    return start(schema, environment, null);
  }

  /** An engine whose dispatcher resolves host names with {@code resolver} (null: the system's). */
  static TestEngine start(String schema, Map<String, String> environment, HostResolver resolver) {
    Application app = await(Application.start(EngineConfig.load(java.util.Optional.empty(), environment), resolver));
    return new TestEngine(schema, environment, app, true);
  }

  /** A second engine process on this engine's schema, as in a deployment with several; closing it keeps the schema. */
  TestEngine sibling() {
    Application other = await(Application.start(EngineConfig.load(java.util.Optional.empty(), environment), null));
    return new TestEngine(schema, environment, other, false);
  }

  /** Creates a profile and answers its data; fails the test when the API refuses it. */
  JsonObject createProfile(TestAccount owner, JsonObject profile) {
    Reply reply = request(HttpMethod.POST, "/v1/" + owner.sid() + "/callback/profiles").apiKey(owner.apiKey()).json(profile);
    if (reply.status() != 201) {
      throw new AssertionError("profile creation failed: " + reply);
    }
    return reply.data();
  }

  /** Publishes events over HTTP and answers the reply. */
  Reply publish(TestAccount owner, Object events) {
    return request(HttpMethod.POST, "/v1/" + owner.sid() + "/callback/events").apiKey(owner.apiKey()).json(events);
  }

  /** Waits until the delivery log shows the delivery in {@code status}, and answers it with its attempts. */
  JsonObject awaitDelivery(TestAccount owner, String deliveryId, String status, java.time.Duration within) {
    org.awaitility.Awaitility.await().atMost(within).pollInterval(java.time.Duration.ofMillis(25))
        .until(() -> delivery(owner, deliveryId).getString("status").equals(status));
    return delivery(owner, deliveryId);
  }

  /** A delivery as the log shows it, with its attempts. */
  JsonObject delivery(TestAccount owner, String deliveryId) {
    Reply reply = request(HttpMethod.GET, "/v1/" + owner.sid() + "/callback/deliveries/" + deliveryId)
        .apiKey(owner.apiKey()).send();
    if (reply.status() != 200) {
      throw new AssertionError("delivery lookup failed: " + reply);
    }
    return reply.data();
  }

  /** Stops this engine and starts a new one on the same database and schema. */
  TestEngine restart() {
    closeEngineOnly();
    await(clientVertx.close());
    return start(schema, environment);
  }

  Request request(HttpMethod method, String path) {
    return new Request(client.request(method, path));
  }

  Request admin(HttpMethod method, String path) {
    return request(method, path).header("authorization", "Bearer " + ADMIN_TOKEN);
  }

  /** Creates an account through the admin API. */
  TestAccount createAccount(String name) {
    Reply reply = admin(HttpMethod.POST, "/admin/accounts").json(new JsonObject().put("name", name));
    if (reply.status() != 201) {
      throw new AssertionError("account creation failed: " + reply.body());
    }
    JsonObject data = reply.data();
    return new TestAccount(data.getString("sid"), data.getString("api_key"));
  }

  /** Runs SQL straight against the engine's schema, as an operator with psql would. */
  RowSet<Row> sql(String statement) {
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(DATABASE_URL)
        .setProperties(Map.of("search_path", schema))).using(clientVertx).build();
    try {
      return await(pool.query(statement).execute());
    } finally {
      pool.close();
    }
  }

  /** Runs SQL in {@code schema} from outside any engine; answers the first column of every row, as text. */
  static java.util.List<String> sqlIn(String schema, String statement) {
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(DATABASE_URL)
        .setProperties(Map.of("search_path", schema))).using(vertx).build();
    try {
      java.util.List<String> values = new java.util.ArrayList<>();
      await(pool.query(statement).execute()).forEach(row -> values.add(row.size() == 0 || row.getValue(0) == null
          ? null : String.valueOf(row.getValue(0))));
      return values;
    } finally {
      await(pool.close());
      await(vertx.close());
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof AssertionError failed) {
        // A reply that broke openapi.yaml (ContractCheck.watch), or a check of the test's own.
        throw failed;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void closeEngineOnly() {
    await(app.stop());
  }

  @Override
  public void close() {
    closeEngineOnly();
    if (ownsSchema) {
      sql("drop schema if exists " + schema + " cascade");
    }
    await(clientVertx.close());
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("callback-engine-test");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  record TestAccount(String sid, String apiKey) {
  }

  /** Talks to an engine running in another process, with the JDK's HTTP client. */
  record ClientOnly(int port) {
    static ClientOnly of(int port) {
      return new ClientOnly(port);
    }

    Reply admin(String path, JsonObject body) {
      return send(path, "authorization", "Bearer " + ADMIN_TOKEN, body);
    }

    Reply post(String path, String apiKey, Object body) {
      return send(path, "api-key", apiKey, body);
    }

    private Reply send(String path, String header, String value, Object body) {
      try {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .header(header, value).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(io.vertx.core.json.Json.encode(body))).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        Buffer raw = Buffer.buffer(response.body());
        ContractCheck.shared().verify(HttpMethod.POST, path, response.statusCode(),
            response.headers().firstValue("content-type").orElse(null), raw);
        return new Reply(response.statusCode(), raw, null);
      } catch (java.io.IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** One HTTP reply, its body parsed when it is JSON. */
  record Reply(int status, Buffer raw, HttpResponse<Buffer> response) {
    JsonObject body() {
      return raw == null || raw.length() == 0 ? new JsonObject() : new JsonObject(raw);
    }

    JsonObject data() {
      return body().getJsonObject("data");
    }

    String header(String name) {
      return response.getHeader(name);
    }

    @Override
    public String toString() {
      return status + " " + (raw == null ? "" : raw.toString());
    }
  }

  /** A request being built: headers, then a JSON or raw body. */
  static final class Request {
    private final HttpRequest<Buffer> request;

    Request(HttpRequest<Buffer> request) {
      this.request = request;
    }

    Request header(String name, String value) {
      request.putHeader(name, value);
      return this;
    }

    Request apiKey(String key) {
      return header("api-key", key);
    }

    Reply json(Object body) {
      String text = body instanceof String s ? s : io.vertx.core.json.Json.encode(body);
      return raw("application/json", Buffer.buffer(text));
    }

    Reply raw(String contentType, Buffer body) {
      if (contentType != null) {
        request.putHeader("content-type", contentType);
      }
      HttpResponse<Buffer> response = await(request.sendBuffer(body));
      return new Reply(response.statusCode(), response.body(), response);
    }

    Reply send() {
      HttpResponse<Buffer> response = await(request.send());
      return new Reply(response.statusCode(), response.body(), response);
    }
  }
}
