package io.callbackengine.domain.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Encrypts secrets at rest (profile keys and IVs, signing secrets) under the 32-byte master key
 * ({@code CALLBACK_MASTER_KEY}, API §9).
 *
 * <p>Sealed layout: {@code nonce(12) ‖ ciphertext ‖ tag(16)}, AES-256-GCM with a fresh random 96-bit nonce per
 * value. The associated data names where the value lives (e.g. {@code "profile:SG_…:enc.key"}, as UTF-8): it is
 * not stored, but opening needs the same text, so a sealed value copied into another row or column fails to open
 * instead of quietly becoming someone else's secret. With random 96-bit nonces one master key should seal well
 * under 2^32 values, far beyond any realistic number of profiles.
 *
 * <p>Thread-safe: each call builds its own GCM engine. {@link #toString()} never shows the key.
 */
public final class SecretSealer {

  /** Length of a master key in bytes (AES-256). */
  public static final int MASTER_KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BYTES = 16;

  private final byte[] masterKey;
  private final SecureRandom random;

  /** @throws IllegalArgumentException if the master key is not 32 bytes long */
  public SecretSealer(byte[] masterKey, SecureRandom random) {
    Objects.requireNonNull(masterKey, "masterKey");
    this.random = Objects.requireNonNull(random, "random");
    if (masterKey.length != MASTER_KEY_BYTES) {
      throw new IllegalArgumentException("the master key must be " + MASTER_KEY_BYTES + " bytes (base64 of 32 random"
          + " bytes in CALLBACK_MASTER_KEY), got " + masterKey.length + " bytes");
    }
    this.masterKey = masterKey.clone();
  }

  /** A new random master key, 32 bytes. */
  public static byte[] generateMasterKey(SecureRandom random) {
    byte[] key = new byte[MASTER_KEY_BYTES];
    random.nextBytes(key);
    return key;
  }

  /** Seals {@code plaintext} bound to {@code associatedData}; returns {@code nonce ‖ ciphertext ‖ tag}. */
  public byte[] seal(byte[] plaintext, String associatedData) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    GCMModeCipher gcm = gcm(true, nonce, associatedData);
    byte[] sealed = Arrays.copyOf(nonce, NONCE_BYTES + gcm.getOutputSize(plaintext.length));
    int written = gcm.processBytes(plaintext, 0, plaintext.length, sealed, NONCE_BYTES);
    try {
      gcm.doFinal(sealed, NONCE_BYTES + written);
    } catch (InvalidCipherTextException e) {
      // Only decryption checks a tag; encryption reaching this is a bug, not bad input.
      throw new IllegalStateException("GCM encryption failed", e);
    }
    return sealed;
  }

  /**
   * Opens a value made by {@link #seal} with the same associated data.
   *
   * @throws SecretUnsealException if the master key or associated data differ, or the bytes were altered
   */
  public byte[] open(byte[] sealed, String associatedData) {
    Objects.requireNonNull(sealed, "sealed");
    if (sealed.length < NONCE_BYTES + TAG_BYTES) {
      throw new SecretUnsealException("sealed value is " + sealed.length + " bytes, shorter than the "
          + (NONCE_BYTES + TAG_BYTES) + " of nonce and tag: it was truncated or is not a sealed value");
    }
    GCMModeCipher gcm = gcm(false, Arrays.copyOf(sealed, NONCE_BYTES), associatedData);
    int bodyLength = sealed.length - NONCE_BYTES;
    byte[] plaintext = new byte[gcm.getOutputSize(bodyLength)];
    try {
      int written = gcm.processBytes(sealed, NONCE_BYTES, bodyLength, plaintext, 0);
      gcm.doFinal(plaintext, written);
    } catch (InvalidCipherTextException e) {
      throw new SecretUnsealException("cannot open sealed value: the master key does not match the one that"
          + " sealed it, or the value was tampered with or moved");
    }
    return plaintext;
  }

  /** {@link #seal} of the text's UTF-8 bytes. */
  public byte[] sealText(String plaintext, String associatedData) {
    return seal(plaintext.getBytes(StandardCharsets.UTF_8), associatedData);
  }

  /** {@link #open} read back as UTF-8 text. */
  public String openText(byte[] sealed, String associatedData) {
    return new String(open(sealed, associatedData), StandardCharsets.UTF_8);
  }

  private GCMModeCipher gcm(boolean encrypting, byte[] nonce, String associatedData) {
    Objects.requireNonNull(associatedData, "associatedData");
    GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance(), new BasicGCMMultiplier());
    gcm.init(encrypting, new AEADParameters(new KeyParameter(masterKey), TAG_BYTES * 8, nonce,
        associatedData.getBytes(StandardCharsets.UTF_8)));
    return gcm;
  }

  @Override
  public String toString() {
    return "SecretSealer[AES-256-GCM, master key hidden]";
  }
}
