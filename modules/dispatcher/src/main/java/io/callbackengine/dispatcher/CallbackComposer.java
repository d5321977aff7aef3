package io.callbackengine.dispatcher;

import io.callbackengine.domain.crypto.PayloadCipher;
import io.callbackengine.domain.profile.BodyType;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.Encryption;
import io.callbackengine.domain.profile.ProfileSpec;
import io.callbackengine.domain.signing.WebhookSignature;
import io.callbackengine.domain.template.EventVariables;
import io.callbackengine.domain.template.MarkupEscaping;
import io.callbackengine.domain.template.RenderedCallback;
import io.callbackengine.domain.template.ReplacerRenderer;
import io.callbackengine.domain.template.TextBodyValues;
import io.callbackengine.store.delivery.ClaimedDelivery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Builds the request for one attempt, in the order API.md §5–§8 give: render the templates with the event's
 * variables, encrypt the chosen body values, shape the body (JSON, multipart or urlencoded form, an XML, HTML or
 * text template, or query parameters for GET and DELETE), then sign exactly the bytes that will be sent. Pure apart from the clock and random it is given.
 */
public final class CallbackComposer {

  private final ReplacerRenderer renderer = new ReplacerRenderer();
  private final SecureRandom random;
  private final String userAgent;
  /** The last {@code <timestamp>} text made: the callbacks composed within one millisecond share it. */
  private Timestamp lastTimestamp = new Timestamp(Long.MIN_VALUE, "");

  public CallbackComposer(SecureRandom random, String userAgent) {
    this.random = random;
    this.userAgent = userAgent;
  }

  public CallbackRequest compose(CallbackProfile profile, ClaimedDelivery delivery, Instant now) {
    ProfileSpec spec = profile.spec();
    EventVariables variables = new EventVariables(delivery.eventData().json(), Map.of(
        "event", delivery.event(),
        "event_id", delivery.eventId(),
        "profile_id", profile.id(),
        "sid", delivery.sid(),
        "timestamp", timestamp(now)));
    BodyType type = spec.bodyType();
    PayloadCipher cipher = spec.enc() == null ? null : spec.enc().cipher(random);
    RenderedCallback rendered = renderer.render(spec.template(), variables, textValues(type, spec.enc(), cipher));
    JsonObject body = rendered.body();
    if (body != null && cipher != null) {
      body = cipher.encryptFields(body, spec.enc().params());
    }

    List<Map.Entry<String, String>> headers = new ArrayList<>();
    String url = rendered.url();
    Buffer payload = Buffer.buffer();
    boolean form = type == BodyType.FORM;
    boolean contentTypeSet = false;
    for (Map.Entry<String, String> header : rendered.headers().entrySet()) {
      boolean contentType = header.getKey().equalsIgnoreCase("content-type");
      contentTypeSet |= contentType;
      if (!(form && contentType)) {
        headers.add(new SimpleImmutableEntry<>(header.getKey(), header.getValue()));
      }
    }
    if (!spec.httpMethod().carriesBody()) {
      url = ReplacerRenderer.withQueryParameters(url, body);
    } else if (form) {
      String boundary = "callback-engine-" + HexFormat.of().formatHex(randomBytes(12));
      payload = MultipartForm.encode(body == null ? new JsonObject() : body, boundary);
      headers.add(new SimpleImmutableEntry<>("Content-Type", "multipart/form-data; boundary=" + boundary));
    } else {
      payload = switch (type) {
        case URLENCODED -> Buffer.buffer(FormUrlEncoding.encode(body == null ? new JsonObject() : body));
        case XML, HTML, TEXT -> Buffer.buffer(rendered.textBody() == null ? "" : rendered.textBody());
        default -> body == null ? Buffer.buffer() : body.toBuffer();
      };
      if (!contentTypeSet) {
        headers.add(new SimpleImmutableEntry<>("Content-Type", type.contentType()));
      }
    }
    long timestamp = now.getEpochSecond();
    headers.add(new SimpleImmutableEntry<>("User-Agent", userAgent));
    headers.add(new SimpleImmutableEntry<>(WebhookSignature.ID_HEADER, delivery.deliveryId()));
    headers.add(new SimpleImmutableEntry<>(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp)));
    headers.add(new SimpleImmutableEntry<>(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(
        delivery.deliveryId(), timestamp, payload.getBytes(), profile.signingSecrets(now))));
    return new CallbackRequest(spec.httpMethod().name(), url, headers, payload, rendered.unknownPlaceholders());
  }

  /** {@code now} to the millisecond in ISO-8601, formatted once per millisecond (it was 1 % of the engine's CPU). */
  private String timestamp(Instant now) {
    long millis = now.toEpochMilli();
    Timestamp last = lastTimestamp;
    if (last.millis() != millis) {
      last = new Timestamp(millis, DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis)));
      lastTimestamp = last;
    }
    return last.text();
  }

  /** Immutable, so a composer used from two threads at once still reads a matching pair. */
  private record Timestamp(long millis, String text) {
  }

  /**
   * How a text body's values are inserted: encrypted first when {@code enc} names the placeholder (or names none),
   * then escaped for the body's markup. Unused by JSON-shaped bodies, whose encryption works on fields.
   */
  private static TextBodyValues textValues(BodyType type, Encryption enc, PayloadCipher cipher) {
    MarkupEscaping escaping = type == BodyType.XML ? MarkupEscaping.XML
        : type == BodyType.HTML ? MarkupEscaping.HTML : MarkupEscaping.NONE;
    if (cipher == null) {
      return (placeholder, value) -> escaping.escape(value);
    }
    return (placeholder, value) -> escaping.escape(enc.params() == null || enc.params().contains(placeholder)
        ? cipher.encrypt(value.getBytes(StandardCharsets.UTF_8))
        : value);
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }
}
