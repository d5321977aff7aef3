package io.callbackengine.domain.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrBlockTest {

  @Test
  void parsesIpv4AndIpv6Blocks() {
    assertThat(CidrBlock.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
    assertThat(CidrBlock.parse("127.0.0.1/32").prefixLength()).isEqualTo(32);
    assertThat(CidrBlock.parse("::1/128")).hasToString("0:0:0:0:0:0:0:1/128");
    assertThat(CidrBlock.parse("fd00::/8")).hasToString("fd00:0:0:0:0:0:0:0/8");
    assertThat(CidrBlock.parse(" 0.0.0.0/0 ").prefixLength()).isZero();
  }

  @Test
  void bareAddressIsASingleAddress() {
    assertThat(CidrBlock.parse("127.0.0.1")).isEqualTo(CidrBlock.parse("127.0.0.1/32"));
    assertThat(CidrBlock.parse("::1")).isEqualTo(CidrBlock.parse("::1/128"));
  }

  @Test
  void hostBitsAreCleared() {
    assertThat(CidrBlock.parse("10.1.2.3/8")).isEqualTo(CidrBlock.parse("10.0.0.0/8"));
    assertThat(CidrBlock.parse("fdab:cd::1/8")).isEqualTo(CidrBlock.parse("fd00::/8"));
    assertThat(CidrBlock.parse("172.31.255.255/12")).hasToString("172.16.0.0/12");
  }

  @Test
  void containsChecksThePrefixBitsOnly() {
    CidrBlock block = CidrBlock.parse("172.16.0.0/12");
    assertThat(block.contains(ip("172.16.0.0"))).isTrue();
    assertThat(block.contains(ip("172.31.255.255"))).isTrue();
    assertThat(block.contains(ip("172.32.0.0"))).isFalse();
    assertThat(block.contains(ip("172.15.255.255"))).isFalse();

    CidrBlock ula = CidrBlock.parse("fc00::/7");
    assertThat(ula.contains(ip("fd12::1"))).isTrue();
    assertThat(ula.contains(ip("fe00::1"))).isFalse();

    assertThat(CidrBlock.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
    assertThat(CidrBlock.parse("127.0.0.1/32").contains(ip("127.0.0.2"))).isFalse();
  }

  @Test
  void familiesNeverMix() {
    assertThat(CidrBlock.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
    assertThat(CidrBlock.parse("::/0").contains(ip("127.0.0.1"))).isFalse();
  }

  @Test
  void parsesLists() {
    assertThat(CidrBlock.parseList("")).isEmpty();
    assertThat(CidrBlock.parseList("  ")).isEmpty();
    assertThat(CidrBlock.parseList(null)).isEmpty();
    assertThat(CidrBlock.parseList("127.0.0.1/32, 10.0.0.0/8,fd00::/8"))
        .extracting(CidrBlock::toString)
        .containsExactly("127.0.0.1/32", "10.0.0.0/8", "fd00:0:0:0:0:0:0:0/8");
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost/32", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8",
      "10.0.0.0/x", "10.0.0.0/0008", "", "   ", "/8"})
  void rejectsBadBlocksWithAClearMessage(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> CidrBlock.parse(text))
        .withMessageMatching(".*(CIDR|prefix length).*");
  }

  @Test
  void rejectsAnEmptyEntryInAList() {
    assertThatIllegalArgumentException().isThrownBy(() -> CidrBlock.parseList("10.0.0.0/8,,fd00::/8"));
  }

  private static InetAddress ip(String literal) {
    return HostLiteral.parse(literal).orElseThrow();
  }
}
