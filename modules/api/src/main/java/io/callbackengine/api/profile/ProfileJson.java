package io.callbackengine.api.profile;

import io.callbackengine.api.JsonTime;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.Encryption;
import io.callbackengine.domain.profile.ProfilePolicy;
import io.callbackengine.domain.profile.ProfileSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;

/**
 * A profile as the API shows it, field for field as the Kaleyra samples: {@code headers}, {@code body} and
 * {@code events} are JSON <em>strings</em> ({@code body} of an XML, HTML or text profile is its template itself);
 * {@code enc} is an object shown to the owning account alone; {@code auth} shows its secret as the mask;
 * {@code policy} shows every delivery setting as it applies, the engine's defaults filled in;
 * {@code replacers} lists every placeholder the templates use and the path it reads.
 */
final class ProfileJson {

  private final ProfilePolicy.Defaults defaults;

  /** @param defaults the engine's delivery settings, which {@code policy} shows where the profile sets none */
  ProfileJson(ProfilePolicy.Defaults defaults) {
    this.defaults = defaults;
  }

  JsonObject of(CallbackProfile profile) {
    ProfileSpec spec = profile.spec();
    return new JsonObject()
        .put("profile_id", profile.id())
        .put("title", spec.title())
        .put("url", spec.url())
        .put("http_method", spec.httpMethod().name())
        .put("headers", new JsonObject(new LinkedHashMap<>(spec.headers())).encode())
        .put("body_type", spec.bodyType().wireName())
        .put("body", spec.textBody() != null ? spec.textBody() : spec.body() == null ? null : spec.body().encode())
        .put("status", profile.status().code())
        .put("created_at", JsonTime.format(profile.createdAt()))
        .put("modified_at", JsonTime.format(profile.modifiedAt()))
        .put("enc", enc(spec.enc()))
        .put("response_message", spec.responseMessage())
        .put("channel", spec.channel().wireName())
        .put("events", spec.events() == null ? null : new JsonArray(spec.events()).encode())
        .put("dynamic_variables", spec.dynamicVariables())
        .put("replacers", new JsonObject(new LinkedHashMap<>(spec.template().usedReplacers())))
        .put("signing_secret", profile.signingSecret().value())
        .put("auth", spec.auth() == null ? null : spec.auth().masked())
        .put("policy", spec.policy().effective(defaults));
  }

  private static JsonObject enc(Encryption enc) {
    if (enc == null) {
      return null;
    }
    JsonObject json = new JsonObject()
        .put("algo", enc.algorithm().wireName())
        .put("key", enc.key())
        .put("IV", enc.iv());
    if (enc.params() != null) {
      json.put("params", new JsonArray(enc.params()));
    }
    return json;
  }
}
