package io.callbackengine.domain.profile;

import static io.callbackengine.domain.profile.ArbitraryProfiles.encJson;
import static io.callbackengine.domain.profile.ArbitraryProfiles.encryptions;
import static io.callbackengine.domain.profile.ArbitraryProfiles.eventNames;
import static io.callbackengine.domain.profile.ArbitraryProfiles.headers;
import static io.callbackengine.domain.profile.ArbitraryProfiles.titles;
import static io.callbackengine.domain.profile.ArbitraryProfiles.urls;
import static io.callbackengine.domain.profile.ArbitraryProfiles.utf8OfLength;
import static io.callbackengine.domain.profile.ArbitraryProfiles.variablePaths;

import io.callbackengine.domain.crypto.CipherAlgorithm;
import io.callbackengine.domain.problem.ArbitraryJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of values for one profile field at a time that are near its rules (API.md §4), on either side:
 * valid values, values just past a limit, a valid object with one bad member, wrong types and hostile text.
 */
final class ProfileFieldValues {

  /** Text that is nearly, barely or not at all a JSON object, for the fields that take one written as a string. */
  private static final List<String> HOSTILE_JSON_TEXT = List.of("{", "[]", "null", "\"x\"", "1", "", " ", "{}", "{} {}",
      "{\"a\":1,\"a\":2}", "{\"a\":\"\\ud800\"}", "{\"a\":1e999999}", "{\"a\":-1e-999999}", "{\"a\":NaN}",
      "{\"a\":" + "9".repeat(2000) + "}", "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
      "{\"a\":" + "[".repeat(500) + "]".repeat(500) + "}", "{\"a\":\"\u0000\"}", "{'a':1}", "{a:1}", "{\"a\":01}",
      "\ufeff{}", "{\"\":{}}", "/* c */ {}");

  /** Built once per field: jqwik arbitraries are immutable, and building them is not free. */
  private static final Map<String, Arbitrary<Object>> BY_FIELD = new ConcurrentHashMap<>();

  private ProfileFieldValues() {
  }

  /** Values for {@code field} (a request field name, {@code status} included), as Vert.x would read them. */
  static Arbitrary<Object> of(String field) {
    return BY_FIELD.computeIfAbsent(field, ProfileFieldValues::build);
  }

  /** Valid auth objects, the mask without a stored secret, and one member missing, mistyped or past its rule. */
  private static Arbitrary<Object> authNearTheRules() {
    Arbitrary<JsonObject> valid = ArbitraryProfiles.auths().map(a -> ArbitraryProfiles.authJson(a, false));
    Arbitrary<JsonObject> broken = Combinators.combine(valid,
        Arbitraries.of("type", "username", "password", "token_url", "client_id", "client_secret", "method",
            "credentials", "scope", "token_path", "expires_path", "headers", "extra"),
        Arbitraries.of(null, "", "********", "a:b", "ftp://x/", "http://10.0.0.1/t", "https://h.example.com/<x>",
            "GET", "header", "a..b", 1, new JsonObject(), "x".repeat(1025), "line\nbreak"))
        .as((json, field, value) -> json.copy().put(field, value));
    Arbitrary<JsonObject> missing = Combinators.combine(valid, Arbitraries.of("type", "username", "password",
        "token_url", "client_id", "client_secret")).as((json, field) -> {
          JsonObject copy = json.copy();
          copy.remove(field);
          return copy;
        });
    return Arbitraries.oneOf(valid, broken, missing).map(json -> (Object) json);
  }

  /** Policies with one to three settings, each valid, at a bound, past it or mistyped. */
  private static Arbitrary<Object> policyNearTheRules() {
    Map<String, Arbitrary<Object>> settings = Map.of(
        "retry_schedule", Arbitraries.of("5s,1m,10m", "", "0s", "200ms,200ms", "7d", "8d", "1x", "5s,,1m", 5, null),
        "timeout", Arbitraries.of("10s", "100ms", "99ms", "1m", "61s", "2h", "ten", "", 10, null),
        "max_in_flight", Arbitraries.of(1, 16, 64, 0, 65, -1, "8", 1.5, null),
        "rate_limit", Arbitraries.of(1, 50, 10_000, 0, 10_001, "50", null),
        "final_statuses", Arbitraries.of(new JsonArray().add(422), new JsonArray().add(400).add(503),
            new JsonArray().add(410), new JsonArray().add(200), new JsonArray().add(600), new JsonArray(),
            new JsonArray().add("422"), "422", null),
        "extra", Arbitraries.of(1, "x"));
    return Arbitraries.of(List.copyOf(settings.keySet())).list().uniqueElements().ofMinSize(1).ofMaxSize(3)
        .flatMap(names -> {
          List<Arbitrary<Object>> values = names.stream().map(settings::get).toList();
          return Combinators.combine(values).as(chosen -> {
            JsonObject policy = new JsonObject();
            for (int i = 0; i < names.size(); i++) {
              policy.put(names.get(i), chosen.get(i));
            }
            return (Object) policy;
          });
        });
  }

  private static Arbitrary<Object> build(String field) {
    Arbitrary<Object> specific = switch (field) {
      case "title" -> Arbitraries.oneOf(titles(), Arbitraries.of("ab", "abc", "   ", "-_-", "a\u0000b", "x".repeat(101),
          "𝒜".repeat(100), "𝒜".repeat(101)));
      case "http_method" -> Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE", "get", "HEAD", " POST", "");
      case "url" -> Arbitraries.oneOf(urls(), Arbitraries.of("http://127.0.0.1/", "http://2130706433/", "http://[::1]/",
          "http://localhost:8080/", "ftp://example.com/", "https://", "http:///x", "https://example.com:99999/",
          "http://a@b@c/", "http://%zz/", "http://[/", "//example.com", "mailto:a@example.com", "http://<a b>/",
          "https://example.com/" + "a".repeat(2029), "https://example.com/" + "a".repeat(2028)),
          ArbitraryJson.strings().map(s -> "http://" + s));
      case "body", "dynamic_variables" -> Arbitraries.oneOf(ArbitraryJson.objects(),
          ArbitraryJson.objects().map(JsonObject::encode), Arbitraries.of(HOSTILE_JSON_TEXT),
          Arbitraries.just(new JsonObject().put("big", "b".repeat(70_000))));
      case "headers" -> headersNearTheRules();
      case "response_message" -> Arbitraries.oneOf(ArbitraryJson.strings(),
          Arbitraries.of("m".repeat(1024), "m".repeat(1025)));
      case "enc" -> encNearTheRules();
      case "channel" -> Arbitraries.of("sms", "Default - No Channel Selected", "SMS", "default", "");
      case "events" -> eventsNearTheRules();
      case "replacers" -> replacersNearTheRules();
      case "status" -> Arbitraries.of(1, 2, 3, 0, -1, Long.MAX_VALUE, "1", 1.0, true);
      case "body_type" -> Arbitraries.of("json", "form", "urlencoded", "xml", "html", "text", "JSON", "XML", "", "yaml");
      case "auth" -> authNearTheRules();
      case "policy" -> policyNearTheRules();
      default -> throw new IllegalArgumentException(field);
    };
    return Arbitraries.frequencyOf(Tuple.of(4, specific), Tuple.of(1, ArbitraryJson.values()))
        .map(ArbitraryJson::parsed);
  }

  private static Arbitrary<Object> headersNearTheRules() {
    Arbitrary<String> names = Arbitraries.of("Host", "content-length", "Transfer-Encoding", "CONNECTION", "Webhook-Id",
        "webhook-signature", "bad name", "", "X:A", "é", "ok", "webhook", "Hosts");
    Arbitrary<Object> values = Arbitraries.oneOf(ArbitraryJson.scalars(),
        Arbitraries.of("v", "", "a\r\nb", "a\nb", "a\u0000b", "x".repeat(4096), "x".repeat(4097)));
    Arbitrary<JsonObject> valid = headers().map(ArbitraryProfiles::json);
    return Arbitraries.oneOf(valid, valid.map(JsonObject::encode), withOneMore(valid, names, values),
        ArbitraryJson.objects(names, values), Arbitraries.of(HOSTILE_JSON_TEXT), Arbitraries.just(manyHeaders()));
  }

  private static Arbitrary<Object> encNearTheRules() {
    Arbitrary<String> names = Arbitraries.of("algo", "key", "IV", "params", "iv");
    Arbitrary<Object> values = Arbitraries.oneOf(Arbitraries.<Object>of(CipherAlgorithm.wireNames()),
        Arbitraries.<Object>of("aes-128-cfb", "AES-512-GCM"), Arbitraries.integers().between(0, 40).map("k"::repeat),
        utf8OfLength(15), utf8OfLength(16), utf8OfLength(17), ArbitraryJson.scalars(),
        ArbitraryJson.arrays(Arbitraries.oneOf(ArbitraryJson.scalars(), Arbitraries.of("", " x", "p".repeat(201)))));
    Arbitrary<JsonObject> valid = encryptions().map(enc -> encJson(enc, false));
    return Arbitraries.oneOf(valid, withOneMore(valid, names, values), ArbitraryJson.objects(names, values),
        ArbitraryJson.scalars());
  }

  private static Arbitrary<Object> eventsNearTheRules() {
    Arbitrary<Object> names = Arbitraries.oneOf(eventNames(), ArbitraryJson.scalars(),
        Arbitraries.of("bad name", "-x", "x".repeat(64), "x".repeat(65), "", "é"));
    return Arbitraries.oneOf(eventNames().map(Object.class::cast), names,
        Combinators.combine(eventNames().list().ofMaxSize(3), names).as((valid, one) -> {
          JsonArray events = new JsonArray(new ArrayList<>(valid));
          return (Object) events.add(one);
        }),
        Arbitraries.just(new JsonArray()), Arbitraries.just(manyEvents()));
  }

  private static Arbitrary<Object> replacersNearTheRules() {
    Arbitrary<JsonObject> valid = Combinators.combine(variablePaths(), variablePaths()).as(Tuple::of).list()
        .ofMaxSize(3).map(pairs -> {
          JsonObject mapping = new JsonObject();
          pairs.forEach(pair -> mapping.put(pair.get1(), pair.get2()));
          return mapping;
        });
    Arbitrary<String> badPaths = Arbitraries.of("", "1a", "a..b", "a[", "a[-1]", "a[99999999999]", "a b", "<a>");
    return Arbitraries.oneOf(valid, valid.map(JsonObject::encode),
        withOneMore(valid, Arbitraries.oneOf(variablePaths(), badPaths, ArbitraryJson.strings(3)),
            Arbitraries.oneOf(variablePaths(), badPaths, ArbitraryJson.scalars())),
        Arbitraries.of(HOSTILE_JSON_TEXT));
  }

  /** {@code objects}, each with one more member (or one member replaced) taken from {@code keys} and {@code values}. */
  private static Arbitrary<JsonObject> withOneMore(Arbitrary<JsonObject> objects, Arbitrary<String> keys,
      Arbitrary<?> values) {
    return Combinators.combine(objects, keys, values).as((object, key, value) -> object.copy().put(key, value));
  }

  private static JsonObject manyHeaders() {
    JsonObject headers = new JsonObject();
    for (int i = 0; i <= ProfileInput.MAX_HEADERS; i++) {
      headers.put("X-H" + i, "v");
    }
    return headers;
  }

  private static JsonArray manyEvents() {
    JsonArray events = new JsonArray();
    for (int i = 0; i <= ProfileInput.MAX_EVENTS; i++) {
      events.add("e" + i);
    }
    return events;
  }
}
