package io.callbackengine.bench.micro;

import io.callbackengine.domain.template.CallbackTemplate;
import io.callbackengine.domain.template.EventVariables;
import io.callbackengine.domain.template.RenderedCallback;
import io.callbackengine.domain.template.ReplacerRenderer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One realistic delivery shared by the micro-benchmarks, so that rendering, encryption and signing are measured
 * on the same callback: an "order paid" event of about 1 KiB and a profile whose body template (about 1 KiB) uses
 * every kind of placeholder the renderer distinguishes: whole typed values (string, number, boolean, array,
 * object), text insertion into longer strings, array indexes, nested objects, a mapped name, a dynamic variable,
 * built-ins, URL placeholders (percent-encoded) and header placeholders.
 */
final class SampleDelivery {

  /** What the event's publisher sent as {@code data}. */
  static final String EVENT_DATA = """
      {
        "order": {
          "id": "ord_8f14e45fceea167a5a36dedd4bea2543",
          "status": "paid",
          "placed_at": "2025-06-14T09:21:07.412Z",
          "amount": {"total": 184.9, "tax": 30.82, "currency": "EUR"},
          "paid": true,
          "items": [
            {"sku": "SKU-100234", "name": "Espresso machine descaler, 2 pack", "qty": 2, "price": 12.45},
            {"sku": "SKU-309911", "name": "Burr grinder, conical, 40 settings", "qty": 1, "price": 160.0}
          ]
        },
        "customer": {
          "id": "cus_c9f0f895fb98ab9159f51fd0297e236d",
          "name": "Zoë Müller-Lindqvist",
          "email": "zoe.mueller@example.org",
          "address": {"line1": "Kastanienallee 12", "city": "Berlin", "postcode": "10435", "country": "DE"}
        },
        "tenant": {"id": "tn/eu-west 7", "name": "Kaffee & Co.\\r\\nX-Injected: yes"},
        "carrier": "DHL Paket",
        "metadata": {"channel": "web", "campaign": "summer-sale", "ab_bucket": 3, "referrer": "newsletter",
                     "session": "s_7d1f0c2e9a4b4c6f8e3a", "ip_country": "DE", "device": "desktop", "locale": "de-DE"},
        "payment": {"method": "card", "brand": "visa", "last4": "4242", "captured_at": "2025-06-14T09:21:06.950Z",
                    "provider_reference": "pi_3PQk2L2eZvKYlo2C1x8mN0aB"}
      }
      """;

  /** The profile's body template. */
  static final String BODY_TEMPLATE = """
      {
        "type": "<event>",
        "id": "<event_id>",
        "occurred_at": "<timestamp>",
        "api_version": "2025-01-15",
        "order": {
          "id": "<order_id>",
          "status": "<order.status>",
          "total": "<order.amount.total>",
          "currency": "<order.amount.currency>",
          "paid": "<order.paid>",
          "items": "<order.items>",
          "first_sku": "<order.items[0].sku>"
        },
        "customer": "<customer>",
        "summary": "Order <order_id> for <customer.name> is now <order.status>",
        "shipping": {"carrier": "<carrier>", "service": "standard", "insured": false, "signature_required": true},
        "links": ["https://shop.example.com/orders/<order_id>", "https://shop.example.com/help/shipping-and-returns"],
        "source": "<source>",
        "notice": "Sent because your store subscribes to order events; manage subscriptions under Settings, Webhooks.",
        "schema_version": 3,
        "test": false
      }
      """;

  private SampleDelivery() {
  }

  /** The profile's templates: URL, headers, body, response message, one mapped name, one constant. */
  static CallbackTemplate template() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("X-Tenant", "<tenant.name>");
    headers.put("X-Event-Id", "<event_id>");
    return new CallbackTemplate(
        "https://hooks.example.com/v1/tenants/<tenant.id>/orders/<order_id>?event=<event>&at=<timestamp>",
        headers,
        new JsonObject(BODY_TEMPLATE),
        "Delivered <event> for order <order_id>",
        Map.of("order_id", "order.id"),
        new JsonObject().put("source", "callback-engine"));
  }

  /** The event's data and built-ins, as the dispatcher builds them for one delivery. */
  static EventVariables variables() {
    return new EventVariables(new JsonObject(EVENT_DATA), Map.of(
        "event", "order.paid",
        "event_id", "evt_2kLq9R4mT7vX1pZ8",
        "profile_id", "pr_6Yh3Nc0Wd5",
        "sid", "SG_4f2a9c",
        "timestamp", "2025-06-14T09:21:08.003Z"));
  }

  /**
   * The rendered body, as the cipher and the signer receive it.
   *
   * @throws IllegalStateException if a placeholder did not resolve: the benchmarks would measure a broken callback
   */
  static JsonObject renderedBody() {
    return checked(new ReplacerRenderer().render(template(), variables())).body();
  }

  /** {@code rendered}, after checking that every placeholder resolved. */
  static RenderedCallback checked(RenderedCallback rendered) {
    if (!rendered.unknownPlaceholders().isEmpty()) {
      throw new IllegalStateException("the sample template has unknown placeholders: "
          + rendered.unknownPlaceholders());
    }
    return rendered;
  }
}
