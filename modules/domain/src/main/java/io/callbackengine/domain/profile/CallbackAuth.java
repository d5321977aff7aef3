package io.callbackengine.domain.profile;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the engine proves itself to a profile's receiver (API.md §12, Kaleyra's "Basic" and "Advanced
 * Authentication"). Each kind has one secret ({@link #secret()}), sealed at rest apart from the rest of its
 * description ({@link #description()}), and shown to nobody: {@link #toString()} and every API view mask it.
 */
public sealed interface CallbackAuth permits CallbackAuth.Basic, CallbackAuth.OAuth2 {

  /** What responses show in place of a secret, and what a PATCH sends to keep the stored one. */
  String MASK = "********";

  /** {@code basic} or {@code oauth2}. */
  String type();

  /** The password or client secret. */
  String secret();

  /** Everything but the secret, with every default filled in: what is stored beside the sealed secret. */
  JsonObject description();

  /** The view an API response gives: the description with the secret masked. */
  default JsonObject masked() {
    JsonObject view = description();
    view.put(this instanceof Basic ? "password" : "client_secret", MASK);
    return view;
  }

  /** Rebuilds one from its stored description and opened secret. */
  static CallbackAuth fromStored(JsonObject description, String secret) {
    String type = description.getString("type");
    if (Basic.TYPE.equals(type)) {
      return new Basic(description.getString("username"), secret);
    }
    if (OAuth2.TYPE.equals(type)) {
      Map<String, String> headers = new LinkedHashMap<>();
      description.getJsonObject("headers", new JsonObject()).forEach(h -> headers.put(h.getKey(), (String) h.getValue()));
      return new OAuth2(description.getString("token_url"), description.getString("client_id"), secret,
          TokenMethod.valueOf(description.getString("method")),
          CredentialPlacement.fromWireName(description.getString("credentials")),
          description.getString("scope"), description.getString("token_path"), description.getString("expires_path"),
          headers);
    }
    throw new IllegalArgumentException("unknown auth type " + type);
  }

  /** {@code Authorization: Basic} with a username and password (RFC 7617, UTF-8). */
  record Basic(String username, String password) implements CallbackAuth {

    public static final String TYPE = "basic";

    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String secret() {
      return password;
    }

    @Override
    public JsonObject description() {
      return new JsonObject().put("type", TYPE).put("username", username);
    }

    /** The value of the Authorization header every callback carries. */
    public String authorization() {
      return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Basic[" + username + ", " + MASK + "]";
    }
  }

  /** How the token request carries the grant: a form body, or query parameters. */
  enum TokenMethod { POST, GET }

  /** Where the client id and secret go: request parameters, or HTTP Basic (RFC 6749 §2.3.1). */
  enum CredentialPlacement {
    BODY("body"), HEADER("header");

    private final String wireName;

    CredentialPlacement(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static CredentialPlacement fromWireName(String name) {
      for (CredentialPlacement placement : values()) {
        if (placement.wireName.equals(name)) {
          return placement;
        }
      }
      throw new IllegalArgumentException("unknown credential placement " + name);
    }
  }

  /**
   * A bearer token obtained with the client-credentials grant from {@code tokenUrl}, read at {@code tokenPath} of
   * the JSON answer with its lifetime in seconds at {@code expiresPath}.
   *
   * @param scope   sent as {@code scope} when not null
   * @param headers extra headers of the token request
   */
  record OAuth2(String tokenUrl, String clientId, String clientSecret, TokenMethod method,
      CredentialPlacement credentials, String scope, String tokenPath, String expiresPath,
      Map<String, String> headers) implements CallbackAuth {

    public static final String TYPE = "oauth2";
    public static final String DEFAULT_TOKEN_PATH = "access_token";
    public static final String DEFAULT_EXPIRES_PATH = "expires_in";

    public OAuth2 {
      Objects.requireNonNull(tokenUrl, "tokenUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(credentials, "credentials");
      Objects.requireNonNull(tokenPath, "tokenPath");
      Objects.requireNonNull(expiresPath, "expiresPath");
      headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public String secret() {
      return clientSecret;
    }

    @Override
    public JsonObject description() {
      return new JsonObject()
          .put("type", TYPE)
          .put("token_url", tokenUrl)
          .put("client_id", clientId)
          .put("method", method.name())
          .put("credentials", credentials.wireName())
          .put("scope", scope)
          .put("token_path", tokenPath)
          .put("expires_path", expiresPath)
          .put("headers", new JsonObject(new LinkedHashMap<>(headers)));
    }

    @Override
    public String toString() {
      return "OAuth2[" + tokenUrl + ", " + clientId + ", " + MASK + "]";
    }
  }
}
