package io.callbackengine.domain.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Recognises a URL host that is an IP address literal, in every spelling a resolver or browser would
 * turn into an address, without ever asking DNS.
 *
 * <p>The SSRF guard cannot judge a host by its text alone: {@code 2130706433}, {@code 0x7f.1} and
 * {@code [::ffff:7f00:1]} all reach 127.0.0.1. IPv4 follows BSD {@code inet_aton} (also what the WHATWG
 * URL standard accepts): one to four dot-separated parts, each decimal, octal (leading {@code 0}) or hex
 * ({@code 0x}); every part but the last is one byte and the last fills the remaining bytes, so
 * {@code 127.1} is 127.0.0.1 and {@code 10.1.1} is 10.1.0.1. One trailing dot is tolerated, as browsers do.
 * IPv6 is RFC 4291 text, bracketed or bare, with an optional dotted-quad tail; a zone id ({@code %eth0}
 * or URL-encoded {@code %25eth0}) is dropped.
 *
 * <p>Anything else, including {@code localhost} and numeric-looking text with an out-of-range part, is a
 * name: the answer is empty and the caller resolves it.
 */
public final class HostLiteral {

  private HostLiteral() {
  }

  /**
   * @param host the host part of a URL, with or without IPv6 brackets
   * @return the address the host denotes when it is an IP literal, otherwise empty
   */
  public static Optional<InetAddress> parse(String host) {
    if (host == null || host.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes;
    if (host.startsWith("[")) {
      bytes = host.endsWith("]") ? ipv6(host.substring(1, host.length() - 1)) : null;
    } else if (host.indexOf(':') >= 0) {
      bytes = ipv6(host);
    } else {
      bytes = ipv4(host);
    }
    return bytes == null ? Optional.empty() : Optional.of(toAddress(bytes));
  }

  private static InetAddress toAddress(byte[] bytes) {
    try {
      // Given raw bytes, getByAddress never resolves; an IPv4-mapped IPv6 comes back as Inet4Address.
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException("4 or 16 bytes are always a valid address", impossible);
    }
  }

  /** inet_aton: 1–4 parts in base 8, 10 or 16; the last part fills the bytes the others left. */
  static byte[] ipv4(String text) {
    String s = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    String[] parts = s.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long value = 0;
    for (int i = 0; i < parts.length; i++) {
      long part = number(parts[i]);
      boolean last = i == parts.length - 1;
      long limit = last ? (1L << (8 * (4 - i))) - 1 : 255;
      if (part < 0 || part > limit) {
        return null;
      }
      value = last ? value | part : value | (part << (8 * (3 - i)));
    }
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  /** One inet_aton part; -1 when it is not a number or exceeds 32 bits. */
  private static long number(String part) {
    int radix = 10;
    String digits = part;
    if (part.startsWith("0x") || part.startsWith("0X")) {
      radix = 16;
      digits = part.substring(2); // a bare "0x" is zero, as in inet_aton and WHATWG
    } else if (part.length() > 1 && part.startsWith("0")) {
      radix = 8;
      digits = part.substring(1);
    } else if (part.isEmpty()) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      int digit = Character.digit(digits.charAt(i), radix);
      // Character.digit also accepts non-ASCII digits, which no resolver does.
      if (digit < 0 || digits.charAt(i) > 'z') {
        return -1;
      }
      value = value * radix + digit;
      if (value > 0xFFFF_FFFFL) {
        return -1;
      }
    }
    return value;
  }

  /** RFC 4291 text form: eight 16-bit groups, one "::" run of zeros, an optional dotted-quad tail. */
  static byte[] ipv6(String text) {
    int zone = text.indexOf('%');
    String s = zone >= 0 ? text.substring(0, zone) : text;
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] head = groups(gap >= 0 ? s.substring(0, gap) : s, gap < 0);
    int[] tail = gap >= 0 ? groups(s.substring(gap + 2), true) : new int[0];
    if (head == null || tail == null) {
      return null;
    }
    int explicit = head.length + tail.length;
    if (gap < 0 ? explicit != 8 : explicit > 7) {
      return null;
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < head.length; i++) {
      put(bytes, i, head[i]);
    }
    for (int i = 0; i < tail.length; i++) {
      put(bytes, 8 - tail.length + i, tail[i]);
    }
    return bytes;
  }

  private static void put(byte[] bytes, int group, int value) {
    bytes[2 * group] = (byte) (value >>> 8);
    bytes[2 * group + 1] = (byte) value;
  }

  /** Colon-separated hex groups; a dotted quad may close the run that ends the address. */
  private static int[] groups(String run, boolean endsAddress) {
    if (run.isEmpty()) {
      return new int[0];
    }
    String[] fields = run.split(":", -1);
    boolean quadTail = endsAddress && fields[fields.length - 1].indexOf('.') >= 0;
    int[] out = new int[fields.length + (quadTail ? 1 : 0)];
    for (int i = 0; i < fields.length; i++) {
      if (quadTail && i == fields.length - 1) {
        byte[] quad = dottedQuad(fields[i]);
        if (quad == null) {
          return null;
        }
        out[i] = (quad[0] & 0xFF) << 8 | (quad[1] & 0xFF);
        out[i + 1] = (quad[2] & 0xFF) << 8 | (quad[3] & 0xFF);
      } else {
        int group = hexGroup(fields[i]);
        if (group < 0) {
          return null;
        }
        out[i] = group;
      }
    }
    return out;
  }

  private static int hexGroup(String field) {
    if (field.isEmpty() || field.length() > 4) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < field.length(); i++) {
      int digit = Character.digit(field.charAt(i), 16);
      if (digit < 0 || field.charAt(i) > 'z') {
        return -1;
      }
      value = value << 4 | digit;
    }
    return value;
  }

  /** Strict a.b.c.d as inet_pton wants inside IPv6: decimal, no leading zeros. */
  private static byte[] dottedQuad(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
          || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int value = Integer.parseInt(p);
      if (value > 255) {
        return null;
      }
      out[i] = (byte) value;
    }
    return out;
  }
}
