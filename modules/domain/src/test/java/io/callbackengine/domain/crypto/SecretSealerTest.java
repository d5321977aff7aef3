package io.callbackengine.domain.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SecretSealerTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String AD = "profile:SG_0001:enc.key";
  private final byte[] masterKey = SecretSealer.generateMasterKey(RANDOM);
  private final SecretSealer sealer = new SecretSealer(masterKey, RANDOM);

  @Test
  void roundTrip() {
    byte[] secret = "K1xxxxxxxxxxxx2P".getBytes(UTF_8);

    byte[] sealed = sealer.seal(secret, AD);

    assertThat(sealed).hasSize(12 + secret.length + 16);
    assertThat(sealer.open(sealed, AD)).isEqualTo(secret);
    assertThat(sealer.openText(sealer.sealText("whsec_Zm9vYmFy", AD), AD)).isEqualTo("whsec_Zm9vYmFy");
    assertThat(sealer.open(sealer.seal(new byte[0], ""), "")).isEmpty();
  }

  @Test
  void layoutIsNonceCiphertextTagUnderAes256GcmWithTheAssociatedData() throws Exception {
    byte[] secret = "signing secret".getBytes(UTF_8);
    byte[] sealed = sealer.seal(secret, AD);

    Cipher jce = Cipher.getInstance("AES/GCM/NoPadding");
    jce.init(Cipher.DECRYPT_MODE, new SecretKeySpec(masterKey, "AES"),
        new GCMParameterSpec(128, Arrays.copyOf(sealed, 12)));
    jce.updateAAD(AD.getBytes(UTF_8));

    assertThat(jce.doFinal(Arrays.copyOfRange(sealed, 12, sealed.length))).isEqualTo(secret);
  }

  @Test
  void wrongAssociatedDataIsRejected() {
    byte[] sealed = sealer.sealText("K1xxxxxxxxxxxx2P", AD);

    assertThatThrownBy(() -> sealer.open(sealed, "profile:SG_0002:enc.key"))
        .isExactlyInstanceOf(SecretUnsealException.class)
        .hasMessageContaining("master key does not match")
        .hasMessageContaining("tampered");
  }

  @Test
  void wrongMasterKeyIsRejected() {
    byte[] sealed = sealer.sealText("K1xxxxxxxxxxxx2P", AD);
    SecretSealer other = new SecretSealer(SecretSealer.generateMasterKey(RANDOM), RANDOM);

    assertThatThrownBy(() -> other.open(sealed, AD))
        .isExactlyInstanceOf(SecretUnsealException.class)
        .hasMessageContaining("master key does not match")
        .message().doesNotContain("K1xx");
  }

  @Test
  void alteredOrTruncatedValueIsRejected() {
    byte[] sealed = sealer.sealText("K1xxxxxxxxxxxx2P", AD);
    for (int position = 0; position < sealed.length; position++) {
      byte[] altered = sealed.clone();
      altered[position] ^= (byte) 0x80;
      assertThatThrownBy(() -> sealer.open(altered, AD)).as("byte %d", position)
          .isExactlyInstanceOf(SecretUnsealException.class);
    }
    assertThatThrownBy(() -> sealer.open(Arrays.copyOf(sealed, sealed.length - 1), AD))
        .isExactlyInstanceOf(SecretUnsealException.class);
    assertThatThrownBy(() -> sealer.open(new byte[27], AD))
        .isExactlyInstanceOf(SecretUnsealException.class)
        .hasMessageContaining("shorter than the 28");
  }

  @Test
  void twoSealsOfTheSameValueDifferAndHideThePlaintext() {
    byte[] secret = "K1xxxxxxxxxxxx2P".getBytes(UTF_8);

    byte[] first = sealer.seal(secret, AD);
    byte[] second = sealer.seal(secret, AD);

    assertThat(first).isNotEqualTo(second);
    assertThat(Arrays.copyOf(first, 12)).isNotEqualTo(Arrays.copyOf(second, 12));
    for (byte[] sealed : new byte[][] {first, second}) {
      assertThat(new String(sealed, UTF_8)).doesNotContain("K1xx", "xxxx");
      assertThat(Arrays.equals(sealed, 12, 12 + secret.length, secret, 0, secret.length)).isFalse();
    }
  }

  @Test
  void masterKeyMustBe32Bytes() {
    for (int length : new int[] {0, 16, 24, 31, 33, 64}) {
      assertThatThrownBy(() -> new SecretSealer(new byte[length], RANDOM)).as("%d bytes", length)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be 32 bytes")
          .hasMessageContaining("got " + length + " bytes");
    }
    assertThat(SecretSealer.generateMasterKey(RANDOM)).hasSize(32);
  }

  @Test
  void keepsItsOwnCopyOfTheMasterKey() {
    byte[] key = SecretSealer.generateMasterKey(RANDOM);
    SecretSealer own = new SecretSealer(key, RANDOM);
    byte[] sealed = own.sealText("value", AD);
    Arrays.fill(key, (byte) 0);

    assertThat(own.openText(sealed, AD)).isEqualTo("value");
  }

  @Test
  void toStringShowsNoKeyMaterial() {
    String shown = sealer.toString();

    assertThat(shown).isEqualTo("SecretSealer[AES-256-GCM, master key hidden]");
    assertThat(shown).doesNotContain(HexFormat.of().formatHex(masterKey).substring(0, 8),
        Base64.getEncoder().encodeToString(masterKey).substring(0, 8));
  }
}
