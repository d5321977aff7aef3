package io.callbackengine.domain.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CipherAlgorithmTest {

  @Test
  void wireNamesKeyLengthsAndModes() {
    assertThat(CipherAlgorithm.wireNames()).containsExactly(
        "AES-128-CFB", "AES-192-CFB", "AES-256-CFB", "AES-128-GCM", "AES-192-GCM", "AES-256-GCM");
    assertThat(CipherAlgorithm.AES_128_CFB.keyBytes()).isEqualTo(16);
    assertThat(CipherAlgorithm.AES_192_GCM.keyBytes()).isEqualTo(24);
    assertThat(CipherAlgorithm.AES_256_CFB.keyBytes()).isEqualTo(32);
    assertThat(CipherAlgorithm.AES_256_CFB.isGcm()).isFalse();
    assertThat(CipherAlgorithm.AES_128_GCM.isGcm()).isTrue();
  }

  @Test
  void fromWireNameMatchesExactlyAndCaseSensitively() {
    for (CipherAlgorithm algorithm : CipherAlgorithm.values()) {
      assertThat(CipherAlgorithm.fromWireName(algorithm.wireName())).contains(algorithm);
    }
    assertThat(CipherAlgorithm.fromWireName("aes-128-cfb")).isEmpty();
    assertThat(CipherAlgorithm.fromWireName("AES_128_CFB")).isEmpty();
    assertThat(CipherAlgorithm.fromWireName(" AES-128-CFB")).isEmpty();
    assertThat(CipherAlgorithm.fromWireName("AES-128-CFB8")).isEmpty();
    assertThat(CipherAlgorithm.fromWireName(null)).isEmpty();
  }
}
