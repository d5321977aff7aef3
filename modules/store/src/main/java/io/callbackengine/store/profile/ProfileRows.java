package io.callbackengine.store.profile;

import static io.callbackengine.store.PgTimestamps.instant;
import static io.callbackengine.store.PgTimestamps.utc;

import io.callbackengine.domain.crypto.CipherAlgorithm;
import io.callbackengine.domain.crypto.SecretSealer;
import io.callbackengine.domain.profile.BodyType;
import io.callbackengine.domain.profile.CallbackAuth;
import io.callbackengine.domain.profile.CallbackMethod;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.Encryption;
import io.callbackengine.domain.profile.ProfileChannel;
import io.callbackengine.domain.profile.ProfilePolicy;
import io.callbackengine.domain.profile.ProfileSpec;
import io.callbackengine.domain.profile.ProfileStatus;
import io.callbackengine.domain.signing.SigningSecret;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps profiles to and from rows. Secrets are sealed with the master key on the way in and opened on the way out;
 * each is bound to its account, profile and field, so a sealed value copied to another row does not open.
 */
final class ProfileRows {

  /** The columns every read selects, in the order {@link #toProfile} expects. */
  static final String COLUMNS = """
      profile_id, sid, title, http_method, url, headers, body, response_message, enc_algo, enc_key, enc_iv,
      enc_params, channel, events, dynamic_variables, replacers, status, signing_secret, previous_signing_secret,
      previous_secret_expires_at, created_at, modified_at, body_type, auth, auth_secret, policy""";

  private final SecretSealer sealer;

  ProfileRows(SecretSealer sealer) {
    this.sealer = sealer;
  }

  /** Parameters $1..$26 in the order of the insert and update statements. */
  Tuple toTuple(CallbackProfile p) {
    ProfileSpec s = p.spec();
    Encryption enc = s.enc();
    return Tuple.tuple()
        .addString(p.id())
        .addString(p.sid())
        .addString(s.title())
        .addString(s.httpMethod().name())
        .addString(s.url())
        .addString(new JsonObject(new LinkedHashMap<>(s.headers())).encode())
        .addString(s.textBody() != null ? s.textBody() : s.body() == null ? null : s.body().encode())
        .addString(s.responseMessage())
        .addString(enc == null ? null : enc.algorithm().wireName())
        .addBuffer(enc == null ? null : seal(enc.key(), p, "enc.key"))
        .addBuffer(enc == null || enc.iv() == null ? null : seal(enc.iv(), p, "enc.iv"))
        .addString(enc == null || enc.params() == null ? null : new JsonArray(enc.params()).encode())
        .addString(s.channel().wireName())
        .addArrayOfString(s.events() == null ? null : s.events().toArray(String[]::new))
        .addString(s.dynamicVariables() == null ? null : s.dynamicVariables().encode())
        .addString(new JsonObject(new LinkedHashMap<>(s.replacers())).encode())
        .addShort((short) p.status().code())
        .addBuffer(seal(p.signingSecret().value(), p, "signing_secret"))
        .addBuffer(p.previousSecret() == null ? null : seal(p.previousSecret().value(), p, "previous_signing_secret"))
        .addOffsetDateTime(utc(p.previousSecretExpiresAt()))
        .addOffsetDateTime(utc(p.createdAt()))
        .addOffsetDateTime(utc(p.modifiedAt()))
        .addString(s.declaredBodyType() == null ? null : s.declaredBodyType().wireName())
        .addString(s.auth() == null ? null : s.auth().description().encode())
        .addBuffer(s.auth() == null ? null : seal(s.auth().secret(), p, "auth.secret"))
        .addString(s.policy().equals(ProfilePolicy.DEFAULTS) ? null : s.policy().stored().encode());
  }

  CallbackProfile toProfile(Row row) {
    String id = row.getString("profile_id");
    String sid = row.getString("sid");
    String algo = row.getString("enc_algo");
    Encryption enc = null;
    if (algo != null) {
      Buffer iv = row.getBuffer("enc_iv");
      String params = row.getString("enc_params");
      enc = new Encryption(CipherAlgorithm.fromWireName(algo).orElseThrow(),
          open(row.getBuffer("enc_key"), sid, id, "enc.key"),
          iv == null ? null : open(iv, sid, id, "enc.iv"),
          params == null ? null : new JsonArray(params).stream().map(String.class::cast).toList());
    }
    String[] events = row.getArrayOfStrings("events");
    String body = row.getString("body");
    String variables = row.getString("dynamic_variables");
    BodyType bodyType = bodyType(row.getString("body_type"));
    boolean textBody = bodyType != null && bodyType.isTextTemplate();
    String auth = row.getString("auth");
    String policy = row.getString("policy");
    ProfileSpec spec = new ProfileSpec(
        row.getString("title"),
        CallbackMethod.valueOf(row.getString("http_method")),
        row.getString("url"),
        stringMap(row.getString("headers")),
        body == null || textBody ? null : new JsonObject(body),
        row.getString("response_message"),
        enc,
        ProfileChannel.fromWireName(row.getString("channel")).orElseThrow(),
        events == null ? null : Arrays.asList(events),
        variables == null ? null : new JsonObject(variables),
        stringMap(row.getString("replacers")),
        bodyType,
        textBody ? body : null,
        auth == null ? null
            : CallbackAuth.fromStored(new JsonObject(auth), open(row.getBuffer("auth_secret"), sid, id, "auth.secret")),
        policy == null ? ProfilePolicy.DEFAULTS : ProfilePolicy.fromStored(new JsonObject(policy)));
    Buffer previous = row.getBuffer("previous_signing_secret");
    return new CallbackProfile(id, sid, spec,
        ProfileStatus.fromCode(row.getShort("status")).orElseThrow(),
        SigningSecret.parse(open(row.getBuffer("signing_secret"), sid, id, "signing_secret")),
        previous == null ? null : SigningSecret.parse(open(previous, sid, id, "previous_signing_secret")),
        instant(row, "previous_secret_expires_at"),
        instant(row, "created_at"),
        instant(row, "modified_at"));
  }

  private static BodyType bodyType(String wireName) {
    return wireName == null ? null : BodyType.fromWireName(wireName).orElseThrow();
  }

  private Buffer seal(String secret, CallbackProfile p, String field) {
    return Buffer.buffer(sealer.sealText(secret, associatedData(p.sid(), p.id(), field)));
  }

  private String open(Buffer sealed, String sid, String id, String field) {
    return sealer.openText(sealed.getBytes(), associatedData(sid, id, field));
  }

  private static String associatedData(String sid, String profileId, String field) {
    return "profile:" + sid + ":" + profileId + ":" + field;
  }

  private static Map<String, String> stringMap(String json) {
    Map<String, String> map = new LinkedHashMap<>();
    new JsonObject(json).forEach(e -> map.put(e.getKey(), (String) e.getValue()));
    return map;
  }
}
