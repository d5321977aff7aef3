package io.callbackengine.app;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.WebClientInternal;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * Holds the engine to its OpenAPI document ({@code openapi.yaml}, the one the API module serves): every reply an
 * integration test receives through {@link TestEngine}, and through any client of its own it {@link #watch watches},
 * is checked here, so code and document cannot drift apart.
 *
 * <p>A reply to a documented operation must carry a status that operation documents, a content type it documents
 * for that status, and a body its schema accepts (vert.x-openapi's {@link ResponseValidator}). A reply to a request
 * no operation matches (an unknown path, a method the path does not have, a path outside every family) must still be
 * an error envelope, of the family the path belongs to by the document's table of route families: {@code ProfileError}
 * under {@code /v1/{sid}/callback/profiles}, {@code EventError}, {@code DeliveryError}, {@code AdminError}, and
 * {@code GeneralError} ({@code GEN400}) for every other path; or a {@code ServerError} (5xx) anywhere. A process
 * without the {@code api} role serves the management operations only: there, every other request is unmatched.
 *
 * <p>vert.x-openapi 5.0 refuses a contract with a media type outside the few it knows (here {@code application/yaml},
 * the document itself); so the validator gets a copy whose non-JSON contents are left out (they are all plain
 * {@code type: string}), while this class checks every reply's content type against the full document.
 */
final class ContractCheck {

  private static final String DOCUMENT = "openapi.yaml";
  private static final Pattern PROFILES = Pattern.compile("^/v1/[^/]+/callback/profiles(/.*)?$");
  private static final Pattern EVENTS = Pattern.compile("^/v1/[^/]+/callback/events(/.*)?$");
  private static final Pattern DELIVERIES = Pattern.compile("^/v1/[^/]+/callback/deliveries(/.*)?$");
  private static final Pattern ADMIN = Pattern.compile("^/admin(/.*)?$");
  /** The media types whose bodies are checked against their schema; the others are plain text. */
  private static final Set<String> JSON_TYPES = Set.of("application/json");

  private static ContractCheck shared;

  private final JsonObject document;
  private final OpenAPIContract contract;
  private final ResponseValidator validator;
  private final boolean apiServed;

  private ContractCheck(JsonObject document, OpenAPIContract contract, ResponseValidator validator,
      boolean apiServed) {
    this.document = document;
    this.contract = contract;
    this.validator = validator;
    this.apiServed = apiServed;
  }

  /** The check every test of this JVM shares: the document is parsed and its schemas compiled once. */
  static synchronized ContractCheck shared() {
    if (shared == null) {
      shared = load(DOCUMENT);
    }
    return shared;
  }

  /** A check against the document at {@code resource} on the class path. */
  static ContractCheck load(String resource) {
    JsonObject document = readYaml(resource);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    OpenAPIContract contract = TestEngine.await(OpenAPIContract.from(vertx, jsonContentsOnly(document)));
    return new ContractCheck(document, contract, ResponseValidator.create(vertx, contract), true);
  }

  /** The same check for a process without the {@code api} role, which serves the management operations only. */
  ContractCheck managementOnly() {
    return new ContractCheck(document, contract, validator, false);
  }

  /**
   * Checks every reply {@code client} receives from now on: one that breaks the document fails its request with the
   * {@link AssertionError} {@link #verify} would throw, so the test that waits on it fails.
   */
  WebClient watch(WebClient client) {
    return watch(client, null);
  }

  /**
   * As {@link #watch(WebClient)}, and every drift is also added to {@code drifts}: for a client whose test takes a
   * failed request as an outcome (a load through crashes and faults), and so asserts on {@code drifts} instead.
   */
  WebClient watch(WebClient client, List<AssertionError> drifts) {
    ((WebClientInternal) client).addInterceptor(ctx -> {
      if (ctx.phase() != ClientPhase.DISPATCH_RESPONSE) {
        ctx.next();
        return;
      }
      HttpResponse<?> response = ctx.response();
      Buffer body = response.body() == null ? Buffer.buffer()
          : response.body() instanceof Buffer buffer ? buffer : Json.encodeToBuffer(response.body());
      // The answer is checked on the validator's threads; the request goes on on its own context.
      Context context = Vertx.currentContext();
      check(ctx.request().method(), ctx.request().uri(), response.statusCode(), response.getHeader("content-type"),
          body).onComplete(checked -> context.runOnContext(v -> {
            if (checked.failed()) {
              ctx.fail(checked.cause());
            } else if (checked.result().isPresent()) {
              AssertionError drift = drift(checked.result().get(), body);
              if (drifts != null) {
                drifts.add(drift);
              }
              ctx.fail(drift);
            } else {
              ctx.next();
            }
          }));
    });
    return client;
  }

  /** Fails the calling test when the reply breaks the document, naming the operation, the status and the problem. */
  void verify(HttpMethod method, String uri, int status, String contentType, Buffer body) {
    Optional<String> problem = violation(method, uri, status, contentType, body);
    if (problem.isPresent()) {
      throw drift(problem.get(), body);
    }
  }

  /** What is wrong with the reply by the document, or empty when it conforms. */
  Optional<String> violation(HttpMethod method, String uri, int status, String contentType, Buffer body) {
    return TestEngine.await(check(method, uri, status, contentType, body));
  }

  private static AssertionError drift(String problem, Buffer body) {
    return new AssertionError("Response breaks openapi.yaml: " + problem + "\n  body: " + excerpt(body));
  }

  private Future<Optional<String>> check(HttpMethod method, String uri, int status, String contentType, Buffer body) {
    String path = pathOf(uri);
    Operation operation = contract.findOperation(path, method);
    if (operation != null && !apiServed && !operation.getTags().contains("management")) {
      operation = null;
    }
    if (operation == null) {
      return Future.succeededFuture(unmatched(method, path, status, contentType, body));
    }
    String where = method + " " + operation.getOpenAPIPath() + " (" + operation.getOperationId() + ") answered "
        + status;
    Response documented = operation.getResponse(status);
    if (documented == null) {
      documented = operation.getDefaultResponse();
    }
    if (documented == null) {
      return Future.succeededFuture(Optional.of(where + ", a status the operation does not document"));
    }
    Map<String, Object> contents = rawContents(operation, status);
    String mediaType = mediaType(contentType);
    if (!contents.isEmpty() && !contents.containsKey(mediaType)) {
      return Future.succeededFuture(Optional.of(where + " with Content-Type '" + contentType + "'; documented: "
          + contents.keySet()));
    }
    if (!JSON_TYPES.contains(mediaType)) {
      return Future.succeededFuture(Optional.empty());
    }
    return validator.validate(ValidatableResponse.create(status, Map.of(), body, mediaType), operation.getOperationId())
        .map(valid -> Optional.<String>empty())
        .recover(e -> Future.succeededFuture(Optional.of(where + ": " + (e instanceof SchemaValidationException schema
            ? describe(schema.getOutputUnit()) : e.getMessage()))));
  }

  private Optional<String> unmatched(HttpMethod method, String path, int status, String contentType, Buffer body) {
    String schema = status >= 500 ? "ServerError" : familyError(path);
    String where = method + " " + path + " (no operation; must be a " + schema + ") answered " + status;
    if (status < 400) {
      return Optional.of(where + ": a success from a request the document does not describe");
    }
    if (!"application/json".equals(mediaType(contentType))) {
      return Optional.of(where + " with Content-Type '" + contentType + "', not application/json");
    }
    Object json;
    try {
      json = Json.decodeValue(body == null ? Buffer.buffer() : body);
    } catch (DecodeException e) {
      return Optional.of(where + " with a body that is not JSON");
    }
    OutputUnit result = contract.getSchemaRepository().validator(JsonSchema.of(schema(schema))).validate(json);
    return Boolean.TRUE.equals(result.getValid()) ? Optional.empty() : Optional.of(where + ": " + describe(result));
  }

  /** The error schema of the family a path belongs to, by the document's table of route families. */
  static String familyError(String path) {
    if (PROFILES.matcher(path).matches()) {
      return "ProfileError";
    }
    if (EVENTS.matcher(path).matches()) {
      return "EventError";
    }
    if (DELIVERIES.matcher(path).matches()) {
      return "DeliveryError";
    }
    if (ADMIN.matcher(path).matches()) {
      return "AdminError";
    }
    return "GeneralError";
  }

  /** A component schema, its references resolved, as the validator compiled it. */
  JsonObject schema(String name) {
    JsonObject schema = contract.getRawContract().getJsonObject("components").getJsonObject("schemas")
        .getJsonObject(name);
    if (schema == null) {
      throw new IllegalStateException("openapi.yaml has no schema " + name);
    }
    return schema;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> rawContents(Operation operation, int status) {
    JsonObject responses = document.getJsonObject("paths").getJsonObject(operation.getOpenAPIPath())
        .getJsonObject(operation.getHttpMethod().name().toLowerCase(Locale.ROOT)).getJsonObject("responses");
    JsonObject response = responses.getJsonObject(String.valueOf(status), responses.getJsonObject("default"));
    String ref = response.getString("$ref");
    if (ref != null) {
      response = document.getJsonObject("components").getJsonObject("responses")
          .getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
    }
    JsonObject content = response.getJsonObject("content");
    return content == null ? Map.of() : content.getMap();
  }

  private static String pathOf(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int parameters = contentType.indexOf(';');
    return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
  }

  /**
   * The schema errors that say what is wrong: those at the deepest places of the body. The others only report that
   * a containing object failed ("Property "data" does not match schema").
   */
  private static String describe(OutputUnit result) {
    List<OutputUnit> leaves = new ArrayList<>();
    collect(result, leaves);
    List<String> problems = leaves.stream()
        .filter(u -> leaves.stream().noneMatch(other -> other != u && deeper(other, u)))
        .map(u -> "at '" + u.getInstanceLocation() + "' (" + u.getKeywordLocation() + "): " + u.getError())
        .distinct()
        .toList();
    if (problems.isEmpty()) {
      return String.valueOf(result.getError());
    }
    return String.join("; ", problems.subList(0, Math.min(problems.size(), 8)))
        + (problems.size() > 8 ? "; … (" + problems.size() + " problems)" : "");
  }

  private static boolean deeper(OutputUnit other, OutputUnit unit) {
    String at = String.valueOf(unit.getInstanceLocation());
    String otherAt = String.valueOf(other.getInstanceLocation());
    return otherAt.length() > at.length() && otherAt.startsWith(at.endsWith("/") ? at : at + "/");
  }

  private static void collect(OutputUnit unit, List<OutputUnit> leaves) {
    if (unit.getErrors() != null && !unit.getErrors().isEmpty()) {
      unit.getErrors().forEach(e -> collect(e, leaves));
    } else if (unit.getError() != null) {
      leaves.add(unit);
    }
  }

  private static String excerpt(Buffer body) {
    String text = body == null ? "" : body.toString(StandardCharsets.UTF_8);
    return text.length() > 600 ? text.substring(0, 600) + "…" : text;
  }

  private static JsonObject readYaml(String resource) {
    try (InputStream in = ContractCheck.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path");
      }
      Object loaded = new Yaml().load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return new JsonObject(jsonMap((Map<?, ?>) loaded));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** YAML allows keys of any type (an unquoted {@code 200:}); JSON has text keys only. */
  private static Map<String, Object> jsonMap(Map<?, ?> yaml) {
    Map<String, Object> json = new LinkedHashMap<>();
    yaml.forEach((key, value) -> json.put(String.valueOf(key), jsonValue(value)));
    return json;
  }

  private static Object jsonValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      return jsonMap(map);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ContractCheck::jsonValue).toList();
    }
    return value;
  }

  /** A copy of the document in which every response content is JSON, the media type the validator checks. */
  private static JsonObject jsonContentsOnly(JsonObject document) {
    JsonObject copy = document.copy();
    JsonObject paths = copy.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (item.getValue(method) instanceof JsonObject op && op.getJsonObject("responses") != null) {
          JsonObject responses = op.getJsonObject("responses");
          for (String status : responses.fieldNames()) {
            JsonObject content = responses.getJsonObject(status).getJsonObject("content");
            if (content != null) {
              content.fieldNames().removeIf(type -> !JSON_TYPES.contains(type));
            }
          }
        }
      }
    }
    return copy;
  }
}
