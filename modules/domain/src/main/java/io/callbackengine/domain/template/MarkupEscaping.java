package io.callbackengine.domain.template;

/**
 * How a value is written into a text body so that it reads back as itself (API.md §13): XML and HTML escape the
 * five markup characters and write tab, line feed and carriage return as character references (a parser would
 * otherwise fold them in attribute values, or turn CR LF into LF); characters XML 1.0 cannot carry at all (other
 * controls, U+FFFE, U+FFFF, unpaired surrogates) become U+FFFD. Plain text is inserted as it is.
 */
public enum MarkupEscaping {
  NONE, XML, HTML;

  public String escape(String value) {
    if (this == NONE) {
      return value;
    }
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String replacement = replacement(value, i, c);
      if (replacement == null) {
        if (out != null) {
          out.append(c);
        }
        if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          if (out != null) {
            out.append(value.charAt(i));
          }
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(value.length() + 16).append(value, 0, i);
      }
      out.append(replacement);
    }
    return out == null ? value : out.toString();
  }

  private String replacement(String value, int i, char c) {
    switch (c) {
      case '&': return "&amp;";
      case '<': return "&lt;";
      case '>': return "&gt;";
      case '"': return "&quot;";
      case '\'': return this == XML ? "&apos;" : "&#39;";
      case '\t': return "&#9;";
      case '\n': return "&#10;";
      case '\r': return "&#13;";
      default: break;
    }
    if (c < 0x20 || c == '\uFFFE' || c == '\uFFFF') {
      return "\uFFFD";
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)) ? null : "\uFFFD";
    }
    return Character.isLowSurrogate(c) ? "\uFFFD" : null;
  }
}
