package io.callbackengine.domain.profile;

import io.callbackengine.domain.problem.JsonFieldReader;
import io.callbackengine.domain.template.VariablePath;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a profile's {@code auth} (API.md §12). A secret sent as {@link CallbackAuth#MASK} keeps the stored one when
 * the stored auth has the same type, so a client can send back what GET showed; anywhere else the mask is refused,
 * since it would otherwise become the password.
 */
final class CallbackAuthInput {

  private static final Set<String> BASIC_FIELDS = Set.of("type", "username", "password");
  private static final Set<String> OAUTH2_FIELDS = Set.of("type", "token_url", "client_id", "client_secret", "method",
      "credentials", "scope", "token_path", "expires_path", "headers");
  static final int MAX_SECRET = 1024;

  private final CallbackUrlRule urlRule;

  CallbackAuthInput(CallbackUrlRule urlRule) {
    this.urlRule = urlRule;
  }

  /** The auth {@code value} describes, or null after noting why it cannot be read. */
  CallbackAuth read(Object value, String path, JsonFieldReader reader, CallbackAuth current) {
    if (!(value instanceof JsonObject auth)) {
      reader.fail(path, "must be object or null");
      return null;
    }
    int before = reader.violations().size();
    if (!auth.containsKey("type")) {
      reader.required(path, "type");
      return null;
    }
    String type = reader.string(auth.getValue("type"), path + "/type");
    CallbackAuth result;
    if (CallbackAuth.Basic.TYPE.equals(type)) {
      result = basic(auth, path, reader, current instanceof CallbackAuth.Basic stored ? stored : null);
    } else if (CallbackAuth.OAuth2.TYPE.equals(type)) {
      result = oauth2(auth, path, reader, current instanceof CallbackAuth.OAuth2 stored ? stored : null);
    } else {
      if (type != null) {
        reader.fail(path + "/type", "must be equal to one of the allowed values: basic, oauth2");
      }
      return null;
    }
    return reader.violations().size() > before ? null : result;
  }

  private static CallbackAuth basic(JsonObject auth, String path, JsonFieldReader reader, CallbackAuth.Basic stored) {
    reader.onlyKnown(auth, path, BASIC_FIELDS);
    String username = requiredText(auth, "username", path, reader, 256);
    if (username != null && username.indexOf(':') >= 0) {
      reader.fail(path + "/username", "must NOT contain ':' (HTTP Basic separates the username from the password with it)");
    }
    String password = secret(auth, "password", path, reader, stored == null ? null : stored.password());
    return username == null || password == null ? null : new CallbackAuth.Basic(username, password);
  }

  private CallbackAuth oauth2(JsonObject auth, String path, JsonFieldReader reader, CallbackAuth.OAuth2 stored) {
    reader.onlyKnown(auth, path, OAUTH2_FIELDS);
    String tokenUrl = tokenUrl(auth, path, reader);
    String clientId = requiredText(auth, "client_id", path, reader, 512);
    String clientSecret = secret(auth, "client_secret", path, reader, stored == null ? null : stored.clientSecret());
    CallbackAuth.TokenMethod method = CallbackAuth.TokenMethod.valueOf(
        choice(auth, "method", List.of("POST", "GET"), path, reader));
    CallbackAuth.CredentialPlacement credentials = CallbackAuth.CredentialPlacement.fromWireName(
        choice(auth, "credentials", List.of("body", "header"), path, reader));
    String scope = auth.getValue("scope") == null ? null
        : reader.boundedString(auth.getValue("scope"), path + "/scope", 1, 1024);
    String tokenPath = variablePath(auth, "token_path", CallbackAuth.OAuth2.DEFAULT_TOKEN_PATH, path, reader);
    String expiresPath = variablePath(auth, "expires_path", CallbackAuth.OAuth2.DEFAULT_EXPIRES_PATH, path, reader);
    Map<String, String> headers = Map.of();
    if (auth.getValue("headers") != null) {
      headers = ProfileInput.headers(auth.getValue("headers"), path + "/headers", reader);
      if (headers != null && headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("content-type"))) {
        reader.fail(path + "/headers/Content-Type", "is set by the engine: the token request is a form");
      }
      if (headers != null && credentials == CallbackAuth.CredentialPlacement.HEADER
          && headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("authorization"))) {
        reader.fail(path + "/headers/Authorization", "is set by the engine when credentials is header");
      }
    }
    if (tokenUrl == null || clientId == null || clientSecret == null || tokenPath == null || expiresPath == null
        || headers == null) {
      return null;
    }
    return new CallbackAuth.OAuth2(tokenUrl, clientId, clientSecret, method, credentials, scope, tokenPath,
        expiresPath, headers);
  }

  /** One of {@code allowed} (the first when absent or null, or after noting a wrong value). */
  private static String choice(JsonObject auth, String field, List<String> allowed, String path,
      JsonFieldReader reader) {
    if (auth.getValue(field) == null) {
      return allowed.get(0);
    }
    String name = reader.string(auth.getValue(field), path + "/" + field);
    if (name != null && !allowed.contains(name)) {
      reader.fail(path + "/" + field, "must be equal to one of the allowed values: " + String.join(", ", allowed));
    }
    return name != null && allowed.contains(name) ? name : allowed.get(0);
  }

  private String tokenUrl(JsonObject auth, String path, JsonFieldReader reader) {
    if (!auth.containsKey("token_url")) {
      reader.required(path, "token_url");
      return null;
    }
    String url = reader.string(auth.getValue("token_url"), path + "/token_url");
    if (url == null) {
      return null;
    }
    if (url.indexOf('<') >= 0 || url.indexOf('>') >= 0) {
      reader.fail(path + "/token_url", "must NOT hold placeholders: the token is fetched once for every event");
      return null;
    }
    String problem = urlRule.problem(url).orElse(null);
    if (problem != null) {
      reader.fail(path + "/token_url", problem);
      return null;
    }
    return url;
  }

  private static String requiredText(JsonObject auth, String field, String path, JsonFieldReader reader, int max) {
    if (!auth.containsKey(field)) {
      reader.required(path, field);
      return null;
    }
    String text = reader.boundedString(auth.getValue(field), path + "/" + field, 1, max);
    if (text != null && text.chars().anyMatch(Character::isISOControl)) {
      reader.fail(path + "/" + field, "must NOT contain control characters");
      return null;
    }
    return text;
  }

  private static String secret(JsonObject auth, String field, String path, JsonFieldReader reader, String stored) {
    String secret = requiredText(auth, field, path, reader, MAX_SECRET);
    if (CallbackAuth.MASK.equals(secret)) {
      if (stored == null) {
        reader.fail(path + "/" + field, "is the mask responses show in place of a stored secret; send the secret itself");
        return null;
      }
      return stored;
    }
    return secret;
  }

  private static String variablePath(JsonObject auth, String field, String fallback, String path, JsonFieldReader reader) {
    if (auth.getValue(field) == null) {
      return fallback;
    }
    String text = reader.string(auth.getValue(field), path + "/" + field);
    if (text != null && VariablePath.parse(text).isEmpty()) {
      reader.fail(path + "/" + field, "must be a path into the token answer such as 'access_token' or 'data.token'");
      return null;
    }
    return text;
  }
}
