package io.callbackengine.domain.template;

/**
 * RFC 3986 percent-encoding of a URL component: UTF-8 bytes, with only the unreserved characters
 * ({@code A-Z a-z 0-9 - . _ ~}) left as they are. Unlike {@link java.net.URLEncoder} (HTML form
 * encoding) a space becomes {@code %20}, never {@code +}, so the result is right in a path, a query
 * name and a query value alike.
 */
final class PercentEncoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {
  }

  static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    append(out, text);
    return out.toString();
  }

  /** Appends {@code text} to {@code out}, percent-encoded. */
  static void append(StringBuilder out, String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (isUnreserved(c)) {
        out.append(c);
      } else if (c < 0x80) {
        appendByte(out, c);
      } else if (c < 0x800) {
        appendByte(out, 0xC0 | (c >> 6));
        appendByte(out, 0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, text.charAt(++i));
        appendByte(out, 0xF0 | (codePoint >> 18));
        appendByte(out, 0x80 | ((codePoint >> 12) & 0x3F));
        appendByte(out, 0x80 | ((codePoint >> 6) & 0x3F));
        appendByte(out, 0x80 | (codePoint & 0x3F));
      } else {
        // A lone surrogate has no UTF-8 form; send U+FFFD as String.getBytes would send '?'.
        int unit = Character.isSurrogate(c) ? 0xFFFD : c;
        appendByte(out, 0xE0 | (unit >> 12));
        appendByte(out, 0x80 | ((unit >> 6) & 0x3F));
        appendByte(out, 0x80 | (unit & 0x3F));
      }
    }
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static void appendByte(StringBuilder out, int b) {
    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
  }
}
