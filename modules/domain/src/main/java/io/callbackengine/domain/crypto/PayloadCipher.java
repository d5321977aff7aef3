package io.callbackengine.domain.crypto;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CFBBlockCipher;
import org.bouncycastle.crypto.modes.CFBModeCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Encrypts callback body values as a profile's {@code enc} asks (API §6).
 *
 * <p>Wire format of one value, always standard base64 with padding:
 * <ul>
 *   <li>fixed IV, CFB: {@code base64(ciphertext)}; full-block CFB (CFB128) without padding, so the ciphertext is
 *       as long as the plaintext and {@code openssl enc -d -a -A -aes-128-cfb -K <hex key> -iv <hex IV>} decrypts it;
 *   <li>fixed IV, GCM: {@code base64(ciphertext ‖ tag)}, the 16-byte IV used as the GCM nonce as given, a
 *       128-bit tag, no associated data;
 *   <li>no IV configured: a fresh random 16-byte IV per value, {@code base64(IV ‖ ciphertext [‖ tag])}.
 * </ul>
 *
 * <p>A chosen JSON value is encrypted on its own: a string as its UTF-8 bytes, anything else (number, boolean,
 * object, array, null) as its compact JSON text. Instances are immutable and thread-safe: BouncyCastle engines
 * keep state, so each call builds its own. {@link #toString()} shows the algorithm and IV mode, never key or IV.
 */
public final class PayloadCipher {

  private static final int IV_BYTES = 16;
  private static final int TAG_BYTES = 16;

  private final CipherAlgorithm algorithm;
  private final byte[] key;
  private final byte[] fixedIv;
  private final SecureRandom random;

  /**
   * @param fixedIvOrNull the profile's 16-byte IV, or {@code null} for a fresh random IV per value
   * @throws IllegalArgumentException if the key does not fit the algorithm or the IV is not 16 bytes long
   */
  public PayloadCipher(CipherAlgorithm algorithm, byte[] key, byte[] fixedIvOrNull, SecureRandom random) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(key, "key");
    this.random = Objects.requireNonNull(random, "random");
    // Lengths only: these messages reach API responses and logs, the bytes must not.
    if (key.length != algorithm.keyBytes()) {
      throw new IllegalArgumentException(algorithm.wireName() + " needs a " + algorithm.keyBytes()
          + "-byte key, got " + key.length + " bytes");
    }
    if (fixedIvOrNull != null && fixedIvOrNull.length != IV_BYTES) {
      throw new IllegalArgumentException("the IV must be " + IV_BYTES + " bytes long, got " + fixedIvOrNull.length);
    }
    this.key = key.clone();
    this.fixedIv = fixedIvOrNull == null ? null : fixedIvOrNull.clone();
  }

  public CipherAlgorithm algorithm() {
    return algorithm;
  }

  /** Whether every value is encrypted under the same configured IV (otherwise each gets a random one). */
  public boolean usesFixedIv() {
    return fixedIv != null;
  }

  /** Encrypts one value; see the class comment for the layout of the result. */
  public String encrypt(byte[] plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    if (fixedIv != null) {
      return Base64.getEncoder().encodeToString(encryptWith(fixedIv, plaintext));
    }
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] body = encryptWith(iv, plaintext);
    byte[] out = Arrays.copyOf(iv, IV_BYTES + body.length);
    System.arraycopy(body, 0, out, IV_BYTES, body.length);
    return Base64.getEncoder().encodeToString(out);
  }

  /**
   * Reverses {@link #encrypt}. ASCII whitespace in the input is ignored, so the line-wrapped output of
   * {@code openssl enc -a} (without {@code -A}) is accepted too.
   *
   * @throws PayloadDecryptionException if the text is not base64, is too short, or fails the GCM tag check
   */
  public byte[] decrypt(String base64) {
    Objects.requireNonNull(base64, "base64");
    String compact = base64.replaceAll("[ \\t\\r\\n]", "");
    byte[] raw;
    try {
      // The JDK decoder accepts missing padding; the wire format is padded, so a short tail means a mangled value.
      if (compact.length() % 4 != 0) {
        throw new IllegalArgumentException("length " + compact.length() + " is not a multiple of 4");
      }
      raw = Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException e) {
      throw new PayloadDecryptionException("value is not valid base64 (standard alphabet, padded)", e);
    }
    int ivBytes = fixedIv == null ? IV_BYTES : 0;
    int minimum = ivBytes + (algorithm.isGcm() ? TAG_BYTES : 0);
    if (raw.length < minimum) {
      throw new PayloadDecryptionException(algorithm.wireName() + " value with " + (fixedIv == null ? "random" : "fixed")
          + " IV must decode to at least " + minimum + " bytes, got " + raw.length);
    }
    byte[] iv = fixedIv != null ? fixedIv : Arrays.copyOf(raw, IV_BYTES);
    return decryptWith(iv, Arrays.copyOfRange(raw, ivBytes, raw.length));
  }

  /**
   * Returns a new object, in the same key order, with the chosen top-level values replaced by their encryption.
   * The input is not changed.
   *
   * @param paramsOrNull the top-level fields to encrypt, or {@code null} for all; names the body lacks are skipped
   */
  public JsonObject encryptFields(JsonObject body, List<String> paramsOrNull) {
    Objects.requireNonNull(body, "body");
    // A deep copy keeps the original's key order (LinkedHashMap) and keeps nested values unshared.
    JsonObject result = body.copy();
    Iterable<String> chosen = paramsOrNull == null ? body.fieldNames() : paramsOrNull;
    for (String field : chosen) {
      if (body.containsKey(field)) {
        result.put(field, encrypt(plaintextOf(body.getValue(field))));
      }
    }
    return result;
  }

  private static byte[] plaintextOf(Object value) {
    String text = value instanceof String s ? s : value == null ? "null" : Json.encode(value);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] encryptWith(byte[] iv, byte[] plaintext) {
    if (!algorithm.isGcm()) {
      return cfb(true, iv, plaintext);
    }
    try {
      return gcm(true, iv, plaintext);
    } catch (InvalidCipherTextException e) {
      // Only decryption checks a tag; encryption reaching this is a bug, not bad input.
      throw new IllegalStateException("GCM encryption failed", e);
    }
  }

  private byte[] decryptWith(byte[] iv, byte[] ciphertext) {
    if (!algorithm.isGcm()) {
      return cfb(false, iv, ciphertext);
    }
    try {
      return gcm(false, iv, ciphertext);
    } catch (InvalidCipherTextException e) {
      throw new PayloadDecryptionException(algorithm.wireName()
          + " tag check failed: wrong key or IV, or the value was altered");
    }
  }

  private byte[] cfb(boolean encrypting, byte[] iv, byte[] input) {
    // Feedback size 128 bits is OpenSSL's aes-*-cfb (and JCE's AES/CFB); CFB8 would be aes-*-cfb8.
    CFBModeCipher cipher = CFBBlockCipher.newInstance(AESEngine.newInstance(), 128);
    cipher.init(encrypting, new ParametersWithIV(new KeyParameter(key), iv));
    byte[] out = new byte[input.length];
    cipher.processBytes(input, 0, input.length, out, 0);
    return out;
  }

  private byte[] gcm(boolean encrypting, byte[] iv, byte[] input) throws InvalidCipherTextException {
    GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance(), new BasicGCMMultiplier());
    cipher.init(encrypting, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, iv, null));
    byte[] out = new byte[cipher.getOutputSize(input.length)];
    int written = cipher.processBytes(input, 0, input.length, out, 0);
    written += cipher.doFinal(out, written);
    return written == out.length ? out : Arrays.copyOf(out, written);
  }

  @Override
  public String toString() {
    return "PayloadCipher[" + algorithm.wireName() + ", " + (fixedIv == null ? "random IV" : "fixed IV") + "]";
  }
}
