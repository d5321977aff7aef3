package io.callbackengine.domain.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.network.AddressPolicy;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code auth} and {@code body_type} fields of a profile request (API.md §12, §13). */
class AuthAndBodyTypeInputTest {

  private final ProfileInput input = new ProfileInput(new CallbackUrlRule(new AddressPolicy(List.of())));

  private static JsonObject profile() {
    return new JsonObject().put("title", "Auth test").put("http_method", "POST").put("url", "https://hooks.example.com/")
        .put("body", new JsonObject().put("status", "<status>"));
  }

  private static JsonObject oauth2() {
    return new JsonObject().put("type", "oauth2").put("token_url", "https://auth.example.com/token")
        .put("client_id", "engine").put("client_secret", "s3cret");
  }

  @Test
  void oauth2TakesItsDefaultsAndGetShowsThemWithTheSecretMasked() {
    ProfileSpec spec = input.forCreate(profile().put("auth", oauth2()));

    CallbackAuth.OAuth2 auth = (CallbackAuth.OAuth2) spec.auth();
    assertThat(auth).isEqualTo(new CallbackAuth.OAuth2("https://auth.example.com/token", "engine", "s3cret",
        CallbackAuth.TokenMethod.POST, CallbackAuth.CredentialPlacement.BODY, null, "access_token", "expires_in",
        Map.of()));
    assertThat(auth.masked()).isEqualTo(new JsonObject().put("type", "oauth2")
        .put("token_url", "https://auth.example.com/token").put("client_id", "engine").put("method", "POST")
        .put("credentials", "body").putNull("scope").put("token_path", "access_token").put("expires_path", "expires_in")
        .put("headers", new JsonObject()).put("client_secret", "********"));
    assertThat(auth.toString()).doesNotContain("s3cret");
  }

  @Test
  void thePatchThatSendsTheMaskBackKeepsTheStoredSecret() {
    ProfileSpec current = input.forCreate(profile().put("auth", new JsonObject().put("type", "basic")
        .put("username", "engine").put("password", "pa55word")));

    ProfileSpec renamed = input.forPatch(current, new JsonObject().put("auth", new JsonObject().put("type", "basic")
        .put("username", "engine-2").put("password", "********"))).spec();

    assertThat(renamed.auth()).isEqualTo(new CallbackAuth.Basic("engine-2", "pa55word"));
    assertThat(((CallbackAuth.Basic) renamed.auth()).authorization())
        .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("engine-2:pa55word".getBytes()));
    // Another type has no stored secret to keep: the mask would become the secret, so it is refused.
    assertThat(problems(() -> input.forPatch(current, new JsonObject().put("auth", oauth2().put("client_secret",
        "********"))))).containsExactly("body/auth/client_secret is the mask responses show in place of a stored "
        + "secret; send the secret itself");
    assertThat(input.forPatch(current, new JsonObject().putNull("auth")).spec().auth()).isNull();
  }

  @Test
  void authIsRefusedWhereItCouldNotWorkOrWouldLeak() {
    assertThat(problems(() -> input.forCreate(profile().put("auth", oauth2().put("token_url", "http://10.1.2.3/t")))))
        .containsExactly("body/auth/token_url must not point to a blocked address (private address)");
    assertThat(problems(() -> input.forCreate(profile().put("auth",
        oauth2().put("token_url", "https://<tenant>.example.com/t")))))
        .containsExactly("body/auth/token_url must NOT hold placeholders: the token is fetched once for every event");
    assertThat(problems(() -> input.forCreate(profile().put("headers", new JsonObject().put("authorization", "x"))
        .put("auth", oauth2())))).containsExactly("body/headers/authorization is set by auth; remove it from headers, or remove auth");
    assertThat(problems(() -> input.forCreate(profile().put("auth", new JsonObject().put("type", "basic")
        .put("username", "a:b").put("password", "p")))))
        .containsExactly("body/auth/username must NOT contain ':' (HTTP Basic separates the username from the password with it)");
    assertThat(problems(() -> input.forCreate(profile().put("auth", oauth2().put("method", "PUT").put("grant", "x")))))
        .containsExactlyInAnyOrder("body/auth must NOT have additional property 'grant'",
            "body/auth/method must be equal to one of the allowed values: POST, GET");
    assertThat(problems(() -> input.forCreate(profile().put("auth", new JsonObject().put("type", "digest")))))
        .containsExactly("body/auth/type must be equal to one of the allowed values: basic, oauth2");
  }

  @Test
  void aTextBodyIsAStringTemplateAndChangingTypeNeedsTheNewBody() {
    ProfileSpec xml = input.forCreate(profile().put("body_type", "xml").put("body", "<r><s><status></s></r>"));
    assertThat(xml.bodyType()).isEqualTo(BodyType.XML);
    assertThat(xml.textBody()).isEqualTo("<r><s><status></s></r>");
    assertThat(xml.body()).isNull();

    assertThat(problems(() -> input.forPatch(xml, new JsonObject().putNull("body_type"))))
        .containsExactly("body/body must be a JSON object when body_type is null (JSON); send the new body with the new body_type");
    ProfileSpec json = input.forPatch(xml, new JsonObject().put("body_type", "json")
        .put("body", new JsonObject().put("s", "<status>"))).spec();
    assertThat(json.declaredBodyType()).isNull();
    assertThat(json.bodyType()).isEqualTo(BodyType.JSON);
    assertThat(problems(() -> input.forPatch(json, new JsonObject().put("body_type", "text"))))
        .containsExactly("body/body must be a string template when body_type is text; send the new body with the new body_type");
    assertThat(problems(() -> input.forCreate(profile().put("body_type", "xml").put("body", new JsonObject()))))
        .containsExactly("body/body must be string");
    assertThat(input.forPatch(json, new JsonObject().put("body_type", "urlencoded")).spec().bodyType())
        .isEqualTo(BodyType.URLENCODED);
  }

  @Test
  void aBodyTypeIsRefusedForMethodsWhoseBodyGoesIntoTheQuery() {
    JsonObject get = profile().put("http_method", "GET").put("body_type", "xml").put("body", "<r/>");

    assertThat(problems(() -> input.forCreate(get))).containsExactly(
        "body/body_type must be null for GET profiles: their rendered body is sent as query parameters");
    assertThat(problems(() -> input.forCreate(profile().put("body_type", "yaml")))).containsExactly(
        "body/body_type must be null or equal to one of the allowed values: json, form, urlencoded, xml, html, text");
  }

  private static List<String> problems(Runnable call) {
    try {
      call.run();
    } catch (ClientProblem problem) {
      return problem.violations().stream().map(Violation::message).toList();
    }
    throw new AssertionError("no problem reported");
  }
}
