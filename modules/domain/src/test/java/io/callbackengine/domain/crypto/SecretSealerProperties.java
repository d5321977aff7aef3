package io.callbackengine.domain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link SecretSealer} opens what it sealed, and refuses, with {@link SecretUnsealException} only, a value with any
 * bit flipped, opened under other associated data, or bytes it never made.
 */
class SecretSealerProperties {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Property
  void openingReversesSealing(@ForAll @Size(32) byte[] masterKey, @ForAll @Size(max = 200) byte[] plaintext,
      @ForAll String associatedData) {
    SecretSealer sealer = new SecretSealer(masterKey, RANDOM);

    byte[] sealed = sealer.seal(plaintext, associatedData);

    assertThat(sealed).hasSize(12 + plaintext.length + 16);
    assertThat(sealer.open(sealed, associatedData)).isEqualTo(plaintext);
  }

  @Property
  void aSealedValueWithAnyBitFlippedIsRefused(@ForAll @Size(32) byte[] masterKey,
      @ForAll @Size(max = 200) byte[] plaintext, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int position) {
    SecretSealer sealer = new SecretSealer(masterKey, RANDOM);
    byte[] sealed = sealer.seal(plaintext, "profile:SG_1:enc.key");
    int bit = position % (sealed.length * 8);
    sealed[bit / 8] ^= (byte) (1 << (bit % 8));

    assertThatThrownBy(() -> sealer.open(sealed, "profile:SG_1:enc.key")).isInstanceOf(SecretUnsealException.class);
  }

  @Property
  void aSealedValueDoesNotOpenUnderOtherAssociatedData(@ForAll @Size(32) byte[] masterKey,
      @ForAll @Size(max = 50) byte[] plaintext, @ForAll String sealedFor, @ForAll String openedFor) {
    Assume.that(!Arrays.equals(sealedFor.getBytes(StandardCharsets.UTF_8), openedFor.getBytes(StandardCharsets.UTF_8)));
    SecretSealer sealer = new SecretSealer(masterKey, RANDOM);
    byte[] sealed = sealer.seal(plaintext, sealedFor);

    assertThatThrownBy(() -> sealer.open(sealed, openedFor)).isInstanceOf(SecretUnsealException.class);
  }

  @Property
  void openingAnyBytesOpensOrThrowsSecretUnsealException(@ForAll @Size(32) byte[] masterKey,
      @ForAll @Size(max = 100) byte[] bytes) {
    SecretSealer sealer = new SecretSealer(masterKey, RANDOM);

    assertThatThrownBy(() -> sealer.open(bytes, "")).isInstanceOf(SecretUnsealException.class);
  }
}
