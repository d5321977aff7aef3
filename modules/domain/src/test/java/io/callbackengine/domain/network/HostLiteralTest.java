package io.callbackengine.domain.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostLiteralTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1          | 127.0.0.1",
      "127.0.0.1.         | 127.0.0.1",
      "127.1              | 127.0.0.1",
      "10.1.1             | 10.1.0.1",
      "2130706433         | 127.0.0.1",
      "0x7f000001         | 127.0.0.1",
      "0X7F000001         | 127.0.0.1",
      "0x7f.0.0.1         | 127.0.0.1",
      "0x7f.1             | 127.0.0.1",
      "0177.0.0.1         | 127.0.0.1",
      "017700000001       | 127.0.0.1",
      "0177.0x0.0.01      | 127.0.0.1",
      "0                  | 0.0.0.0",
      "0x                 | 0.0.0.0",
      "255.255.255.255    | 255.255.255.255",
      "4294967295         | 255.255.255.255",
      "1.65535            | 1.0.255.255",
      "1.2.65535          | 1.2.255.255",
      "[::1]              | 0:0:0:0:0:0:0:1",
      "::1                | 0:0:0:0:0:0:0:1",
      "[::]               | 0:0:0:0:0:0:0:0",
      "[fe80::1%25eth0]   | fe80:0:0:0:0:0:0:1",
      "fe80::1%eth0       | fe80:0:0:0:0:0:0:1",
      "[::ffff:127.0.0.1] | 127.0.0.1",
      "[::ffff:7f00:1]    | 127.0.0.1",
      "[64:ff9b::7f00:1]  | 64:ff9b:0:0:0:0:7f00:1",
      "[64:ff9b::8.8.8.8] | 64:ff9b:0:0:0:0:808:808",
      "[1:2:3:4:5:6:7:8]  | 1:2:3:4:5:6:7:8",
      "[1:2:3:4:5:6:7::]  | 1:2:3:4:5:6:7:0",
      "[::2:3:4:5:6:7:8]  | 0:2:3:4:5:6:7:8",
      "[2606:4700::1111]  | 2606:4700:0:0:0:0:0:1111",
      "[2606:4700::ABCD]  | 2606:4700:0:0:0:0:0:abcd",
  })
  void recognisesLiterals(String host, String expected) {
    assertThat(HostLiteral.parse(host)).map(InetAddress::getHostAddress).contains(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "example.com", "localhost", "1.2.3.4.nip.io", "1.2.3.4.5", "deadbeef", "0xdeadbeef.com",
      "256.0.0.1", "1.256.0.1", "1.2.3.256", "1.16777216", "1.2.65536", "4294967296", "0x100000000",
      "08.0.0.1", "0179.0.0.1", "1..2", ".1.2.3", "1.2.3.4..", "", " 127.0.0.1", "127.0.0.1 ", "+1",
      "-1", "0x7g", "１２７.0.0.1", "99999999999999999999999",
      "[::1", "::1]", "[]", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "[1:2:3:4:5:6:7]",
      "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7:8::]", "[12345::1]", "[::g]", "[1.2.3.4]",
      "[::ffff:0177.0.0.1]", "[::ffff:1.2.3]", "[::ffff:256.0.0.1]", "[::1.2.3.4:1]"})
  void rejectsEverythingElse(String host) {
    assertThat(HostLiteral.parse(host)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void nullIsNotALiteral() {
    assertThat(HostLiteral.parse(null)).isEmpty();
  }
}
