package io.callbackengine.domain.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies callbacks by the Standard Webhooks specification (https://www.standardwebhooks.com/).
 *
 * <p>A callback carries three headers: {@code webhook-id} (the delivery's id, the same on every retry),
 * {@code webhook-timestamp} (Unix seconds of this attempt) and {@code webhook-signature}, a
 * space-separated list of {@code v1,<signature>} where
 * <pre>
 *   signature = base64( HMAC-SHA256( key = secret's decoded bytes,
 *                                    message = "{webhook-id}.{webhook-timestamp}.{body}" ) )
 * </pre>
 * One signature is given per active secret, so during a key rotation a receiver holding either the old or
 * the new secret can verify. The timestamp is signed so that a captured request cannot be replayed later.
 *
 * <p>A {@link Mac} is stateful and not thread-safe: each thread keeps one and keys it anew on every call (looking one
 * up with {@code Mac.getInstance} on every callback, as until 2026-12-03, was about 1 % of the engine's CPU).
 */
public final class WebhookSignature {

  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  private static final String VERSION = "v1,";
  private static final String ALGORITHM = "HmacSHA256";
  private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance(ALGORITHM);
    } catch (GeneralSecurityException missing) {
      throw new IllegalStateException("every Java runtime must provide " + ALGORITHM, missing);
    }
  });

  private WebhookSignature() {
  }

  /**
   * @param secrets the active secrets, newest first by convention; at least one
   * @return the {@code webhook-signature} header value: one {@code v1,} signature per secret, in order
   */
  public static String sign(String webhookId, long timestampSeconds, byte[] body, List<SigningSecret> secrets) {
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(body, "body");
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one signing secret is needed to sign");
    }
    byte[] content = signedContent(webhookId, Long.toString(timestampSeconds), body);
    StringBuilder header = new StringBuilder(secrets.size() * 48);
    for (SigningSecret secret : secrets) {
      if (!header.isEmpty()) {
        header.append(' ');
      }
      header.append(VERSION).append(Base64.getEncoder().encodeToString(hmac(secret, content)));
    }
    return header.toString();
  }

  /**
   * Whether a received callback is authentic and fresh: some {@code v1} signature in the header matches
   * the one computed with {@code secret}, and the timestamp lies within {@code tolerance} of {@code now}
   * in either direction. Signatures of other versions are ignored; any malformed input gives false.
   */
  public static boolean verify(String webhookId, String timestampHeader, String signatureHeader, byte[] body,
                 SigningSecret secret, Instant now, Duration tolerance) {
    if (webhookId == null || timestampHeader == null || signatureHeader == null || body == null) {
      return false;
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampHeader.strip());
      if (Duration.between(Instant.ofEpochSecond(timestamp), now).abs().compareTo(tolerance) > 0) {
        return false;
      }
    } catch (NumberFormatException | DateTimeException notAUsableTime) {
      return false;
    }
    byte[] expected = hmac(secret, signedContent(webhookId, Long.toString(timestamp), body));
    boolean matched = false;
    // No early exit: how long this takes should not reveal which signature matched.
    for (String candidate : signatureHeader.strip().split("\\s+")) {
      matched |= candidate.startsWith(VERSION) && MessageDigest.isEqual(expected, decode(candidate));
    }
    return matched;
  }

  private static byte[] decode(String versioned) {
    try {
      return Base64.getDecoder().decode(versioned.substring(VERSION.length()));
    } catch (IllegalArgumentException notBase64) {
      return new byte[0];
    }
  }

  private static byte[] signedContent(String webhookId, String timestamp, byte[] body) {
    byte[] prefix = (webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, content, 0, prefix.length);
    System.arraycopy(body, 0, content, prefix.length, body.length);
    return content;
  }

  private static byte[] hmac(SigningSecret secret, byte[] content) {
    try {
      Mac mac = MACS.get();
      mac.init(new SecretKeySpec(secret.keyBytes(), ALGORITHM));
      return mac.doFinal(content);
    } catch (GeneralSecurityException unusableKey) {
      throw new IllegalStateException("an HMAC key of " + ALGORITHM + " was refused", unusableKey);
    }
  }
}
