package io.callbackengine.domain.template;

/**
 * How a placeholder's value enters a text body: encrypted when the profile's {@code enc} names it, then escaped
 * for the body's markup. The renderer knows neither; the composer of a callback supplies both.
 */
@FunctionalInterface
public interface TextBodyValues {

  /** The text to insert for {@code placeholder}, whose value as text is {@code value}. */
  String insert(String placeholder, String value);
}
