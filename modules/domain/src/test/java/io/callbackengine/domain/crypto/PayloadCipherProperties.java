package io.callbackengine.domain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callbackengine.domain.problem.ArbitraryJson;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link PayloadCipher} for every algorithm and both IV modes: decryption reverses encryption, a fixed-IV value is
 * what JCE (an independent AES) makes, decryption of any text either succeeds or throws
 * {@link PayloadDecryptionException}, and a GCM value with any one bit flipped is refused.
 */
class PayloadCipherProperties {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** An algorithm, a key of its length, and a 16-byte IV, or null for a random IV per value. */
  record Setup(CipherAlgorithm algorithm, byte[] key, byte[] fixedIv) {

    PayloadCipher cipher() {
      return new PayloadCipher(algorithm, key, fixedIv, RANDOM);
    }

    @Override
    public String toString() {
      return algorithm.wireName() + (fixedIv == null ? ", random IV" : ", fixed IV");
    }
  }

  @Provide
  Arbitrary<Setup> setups() {
    Arbitrary<byte[]> key = Arbitraries.bytes().array(byte[].class).ofSize(32);
    Arbitrary<byte[]> iv = Arbitraries.bytes().array(byte[].class).ofSize(16);
    return Combinators.combine(Arbitraries.of(CipherAlgorithm.class), key, iv.injectNull(0.5)).as((algorithm, keyBytes,
        fixedIv) -> new Setup(algorithm, Arrays.copyOf(keyBytes, algorithm.keyBytes()), fixedIv));
  }

  @Provide
  Arbitrary<byte[]> plaintexts() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
  }

  @Property
  void decryptionReversesEncryption(@ForAll("setups") Setup setup, @ForAll("plaintexts") byte[] plaintext) {
    PayloadCipher cipher = setup.cipher();

    String value = cipher.encrypt(plaintext);

    int overhead = (setup.fixedIv() == null ? 16 : 0) + (setup.algorithm().isGcm() ? 16 : 0);
    assertThat(Base64.getDecoder().decode(value)).hasSize(plaintext.length + overhead);
    assertThat(cipher.decrypt(value)).isEqualTo(plaintext);
  }

  @Property
  void aFixedIvValueIsWhatJceMakes(@ForAll("setups") Setup setup, @ForAll("plaintexts") byte[] plaintext)
      throws GeneralSecurityException {
    byte[] iv = setup.fixedIv() == null ? new byte[16] : setup.fixedIv();
    PayloadCipher cipher = new PayloadCipher(setup.algorithm(), setup.key(), iv, RANDOM);

    byte[] value = Base64.getDecoder().decode(cipher.encrypt(plaintext));

    Cipher jce = Cipher.getInstance(setup.algorithm().isGcm() ? "AES/GCM/NoPadding" : "AES/CFB/NoPadding");
    SecretKeySpec key = new SecretKeySpec(setup.key(), "AES");
    if (setup.algorithm().isGcm()) {
      jce.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
    } else {
      jce.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
    }
    assertThat(value).isEqualTo(jce.doFinal(plaintext));
  }

  /** Hostile text, base64-looking text of every length, and real base64 of random bytes with whitespace. */
  @Provide
  Arbitrary<String> ciphertexts() {
    Arbitrary<String> base64ish = Arbitraries.strings()
        .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n").ofMaxLength(120);
    Arbitrary<String> base64 = Arbitraries.bytes().array(byte[].class).ofMaxSize(80)
        .map(bytes -> Base64.getEncoder().encodeToString(bytes));
    Arbitrary<String> wrapped = base64.map(s -> s.replaceAll("(.{10})", "$1\n"));
    return Arbitraries.oneOf(ArbitraryJson.strings(), base64ish, base64, wrapped);
  }

  @Property
  void decryptingAnyTextReturnsBytesOrThrowsPayloadDecryptionException(@ForAll("setups") Setup setup,
      @ForAll("ciphertexts") String text) {
    byte[] plaintext;
    try {
      plaintext = setup.cipher().decrypt(text);
    } catch (PayloadDecryptionException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    // Only CFB can accept text it did not make: it has no tag. The plaintext is as long as the ciphertext.
    assertThat(setup.algorithm().isGcm()).as("GCM accepted a value it did not make").isFalse();
    byte[] raw = Base64.getDecoder().decode(text.replaceAll("[ \\t\\r\\n]", ""));
    assertThat(plaintext).hasSize(raw.length - (setup.fixedIv() == null ? 16 : 0));
  }

  @Property
  void aGcmValueWithAnyBitFlippedIsRefused(@ForAll("gcmSetups") Setup setup, @ForAll("plaintexts") byte[] plaintext,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int position) {
    PayloadCipher cipher = setup.cipher();
    byte[] value = Base64.getDecoder().decode(cipher.encrypt(plaintext));
    int bit = position % (value.length * 8);
    value[bit / 8] ^= (byte) (1 << (bit % 8));
    String tampered = Base64.getEncoder().encodeToString(value);

    assertThatThrownBy(() -> cipher.decrypt(tampered)).isInstanceOf(PayloadDecryptionException.class);
  }

  @Provide
  Arbitrary<Setup> gcmSetups() {
    return setups().filter(setup -> setup.algorithm().isGcm());
  }

  @Property
  void aValueDoesNotDecryptUnderAnotherGcmKey(@ForAll("gcmSetups") Setup setup, @ForAll("plaintexts") byte[] plaintext,
      @ForAll @Size(32) byte[] otherKey) {
    String value = setup.cipher().encrypt(plaintext);
    byte[] key = Arrays.copyOf(otherKey, setup.algorithm().keyBytes());
    Assume.that(!Arrays.equals(key, setup.key()));
    PayloadCipher other = new PayloadCipher(setup.algorithm(), key, setup.fixedIv(), RANDOM);

    assertThatThrownBy(() -> other.decrypt(value)).isInstanceOf(PayloadDecryptionException.class);
  }
}
