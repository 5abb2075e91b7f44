package com.orderflow.api.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.api.http.FieldError;
import com.orderflow.api.http.Problem;
import com.orderflow.json.Json;
import com.orderflow.order.CurrencyCode;
import com.orderflow.order.Customer;
import com.orderflow.order.LineItem;
import com.orderflow.order.PaymentInstrument;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a parsed {@code POST /orders} body against the request schema documented in the README and reports
 * every offending field at once (up to {@value #MAX_ERRORS}), each as a JSON pointer with a message.
 * Business rules that need the catalog or the payment provider stay in the workflow.
 */
public final class OrderRequestValidator {

    public static final int MAX_ITEMS = 100;
    public static final int MAX_QUANTITY = 1000;
    public static final BigDecimal MAX_UNIT_PRICE = new BigDecimal("1000000");
    public static final BigDecimal MAX_TOTAL = MAX_UNIT_PRICE.multiply(BigDecimal.valueOf((long) MAX_ITEMS * MAX_QUANTITY));
    static final int MAX_ERRORS = 25;

    private static final Pattern CUSTOMER_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$");
    private static final Pattern SKU = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$");
    private static final Pattern PAYMENT_TOKEN = Pattern.compile("^[A-Za-z0-9_]{1,64}$");
    private static final Pattern EMAIL = Pattern.compile("^[^\\s@]{1,64}@[^\\s@]+\\.[^\\s@]+$");
    private static final Pattern DECIMAL_STRING = Pattern.compile("^[0-9]{1,12}(\\.[0-9]{1,12})?$");
    private static final int MAX_SCALE = Arrays.stream(CurrencyCode.values()).mapToInt(CurrencyCode::scale).max().orElse(0);
    private static final int MAX_NAME = 200;
    private static final int MAX_EMAIL = 254;

    private static final Set<String> ORDER_FIELDS = Set.of("customer", "currency", "items", "payment", "total");
    private static final Set<String> CUSTOMER_FIELDS = Set.of("id", "name", "email");
    private static final Set<String> ITEM_FIELDS = Set.of("sku", "quantity", "unitPrice");
    private static final Set<String> PAYMENT_FIELDS = Set.of("token");
    private static final String CURRENCIES = Arrays.stream(CurrencyCode.values()).map(Enum::name)
            .collect(Collectors.joining(", "));

    /** The validated request; throws a {@link com.orderflow.api.http.ProblemException} (400) listing every error. */
    public OrderRequest validate(JsonNode body) {
        var errors = new Errors();
        if (!body.isObject()) {
            errors.add("", "must be a JSON object");
            throw errors.toProblem().toException();
        }
        unknownFields(body, "", ORDER_FIELDS, errors);
        var currency = currency(body.get("currency"), errors);
        var customer = customer(body.get("customer"), errors);
        var items = items(body.get("items"), currency, errors);
        var payment = payment(body.get("payment"), errors);
        BigDecimal total = null;
        if (body.has("total")) {
            total = amount(body.get("total"), "/total", currency, MAX_TOTAL, errors);
        }
        if (!errors.isEmpty()) {
            throw errors.toProblem().toException();
        }
        return new OrderRequest(customer, currency, items, payment, total,
                hash(canonical(customer, currency, items, payment, total)));
    }

    private static CurrencyCode currency(JsonNode node, Errors errors) {
        if (node == null || node.isNull()) {
            errors.add("/currency", "is required (one of " + CURRENCIES + ")");
            return null;
        }
        if (!node.isTextual()) {
            errors.add("/currency", "must be a string (one of " + CURRENCIES + ")");
            return null;
        }
        var code = CurrencyCode.parseOrNull(node.textValue());
        if (code == null) {
            errors.add("/currency", "is not supported; use one of " + CURRENCIES);
        }
        return code;
    }

    private static Customer customer(JsonNode node, Errors errors) {
        if (!requireObject(node, "/customer", errors)) {
            return null;
        }
        unknownFields(node, "/customer", CUSTOMER_FIELDS, errors);
        var id = text(node.get("id"), "/customer/id", true, 64, errors);
        if (id != null && !CUSTOMER_ID.matcher(id).matches()) {
            errors.add("/customer/id", "must start with a letter or digit and contain only letters, digits and _ . : -");
        }
        var name = text(node.get("name"), "/customer/name", true, MAX_NAME, errors);
        var email = text(node.get("email"), "/customer/email", true, MAX_EMAIL, errors);
        if (email != null && !EMAIL.matcher(email).matches()) {
            errors.add("/customer/email", "must be an email address");
        }
        return new Customer(id, name, email);
    }

    private static List<LineItem> items(JsonNode node, CurrencyCode currency, Errors errors) {
        if (node == null || node.isNull()) {
            errors.add("/items", "is required: at least one line item");
            return List.of();
        }
        if (!node.isArray()) {
            errors.add("/items", "must be an array of line items");
            return List.of();
        }
        if (node.isEmpty()) {
            errors.add("/items", "must contain at least one line item");
            return List.of();
        }
        if (node.size() > MAX_ITEMS) {
            errors.add("/items", "must contain at most " + MAX_ITEMS + " line items");
            return List.of();
        }
        var items = new ArrayList<LineItem>(node.size());
        for (int i = 0; i < node.size() && !errors.full(); i++) {
            var pointer = "/items/" + i;
            var item = node.get(i);
            if (!requireObject(item, pointer, errors)) {
                continue;
            }
            unknownFields(item, pointer, ITEM_FIELDS, errors);
            var sku = text(item.get("sku"), pointer + "/sku", true, 64, errors);
            if (sku != null && !SKU.matcher(sku).matches()) {
                errors.add(pointer + "/sku", "must start with a letter or digit and contain only letters, digits, _ and -");
            }
            var quantity = quantity(item.get("quantity"), pointer + "/quantity", errors);
            var unitPrice = amount(item.get("unitPrice"), pointer + "/unitPrice", currency, MAX_UNIT_PRICE, errors);
            items.add(new LineItem(sku, quantity, unitPrice));
        }
        return items;
    }

    private static PaymentInstrument payment(JsonNode node, Errors errors) {
        if (!requireObject(node, "/payment", errors)) {
            return null;
        }
        unknownFields(node, "/payment", PAYMENT_FIELDS, errors);
        var token = text(node.get("token"), "/payment/token", true, 64, errors);
        if (token != null && !PAYMENT_TOKEN.matcher(token).matches()) {
            errors.add("/payment/token", "must contain only letters, digits and _ (for example tok_visa)");
        }
        return new PaymentInstrument(token);
    }

    private static int quantity(JsonNode node, String pointer, Errors errors) {
        if (node == null || node.isNull()) {
            errors.add(pointer, "is required");
            return 0;
        }
        if (!node.isIntegralNumber()) {
            errors.add(pointer, "must be a whole number from 1 to " + MAX_QUANTITY);
            return 0;
        }
        if (!node.canConvertToInt() || node.intValue() < 1 || node.intValue() > MAX_QUANTITY) {
            errors.add(pointer, "must be from 1 to " + MAX_QUANTITY);
            return 0;
        }
        return node.intValue();
    }

    /**
     * An exact, non-negative amount with at most the currency's decimal places, as a JSON number or a decimal
     * string. The range is checked before anything scales the value, so {@code 1e999999999} costs nothing.
     */
    private static BigDecimal amount(JsonNode node, String pointer, CurrencyCode currency, BigDecimal max, Errors errors) {
        if (node == null || node.isNull()) {
            errors.add(pointer, "is required");
            return null;
        }
        BigDecimal value;
        if (node.isIntegralNumber() || node.isBigDecimal()) {
            value = node.decimalValue();
        } else if (node.isTextual() && DECIMAL_STRING.matcher(node.textValue()).matches()) {
            value = new BigDecimal(node.textValue());
        } else {
            errors.add(pointer, "must be a decimal amount such as 19.99 (a JSON number or a string)");
            return null;
        }
        if (value.signum() < 0) {
            errors.add(pointer, "must not be negative");
            return null;
        }
        if (value.compareTo(max) > 0) {
            errors.add(pointer, "must not exceed " + max.toPlainString());
            return null;
        }
        // without a valid currency, no currency's scale can fit more decimals than the widest one
        var scale = currency != null ? currency.scale() : MAX_SCALE;
        if (value.scale() > scale && value.stripTrailingZeros().scale() > scale) {
            errors.add(pointer, currency == null ? "must have at most " + scale + " decimal places"
                    : scale == 0 ? "must be a whole amount in " + currency
                    : "must have at most " + scale + " decimal places in " + currency);
            return null;
        }
        return currency == null ? null : currency.normalize(value);
    }

    private static String text(JsonNode node, String pointer, boolean required, int maxLength, Errors errors) {
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(pointer, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(pointer, "must be a string");
            return null;
        }
        var value = node.textValue();
        if (value.isBlank()) {
            errors.add(pointer, "must not be blank");
            return null;
        }
        if (value.codePointCount(0, value.length()) > maxLength) {
            errors.add(pointer, "must be at most " + maxLength + " characters");
            return null;
        }
        if (!printable(value)) {
            errors.add(pointer, "must not contain control characters or unpaired surrogates");
            return null;
        }
        return value;
    }

    /** Well-formed UTF-16 without control characters: anything else would corrupt logs or fail to encode later. */
    private static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean requireObject(JsonNode node, String pointer, Errors errors) {
        if (node == null || node.isNull()) {
            errors.add(pointer, "is required");
            return false;
        }
        if (!node.isObject()) {
            errors.add(pointer, "must be an object");
            return false;
        }
        return true;
    }

    private static void unknownFields(JsonNode node, String pointer, Set<String> known, Errors errors) {
        for (var it = node.fieldNames(); it.hasNext() && !errors.full(); ) {
            var name = it.next();
            if (!known.contains(name)) {
                errors.add(pointer + "/" + escape(name), name.equals("orderId")
                        ? "is assigned by the server and must not be sent"
                        : "is not a known field");
            }
        }
    }

    /** RFC 6901 escaping of one reference token. */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** The body in one spelling: fixed key order, amounts as plain strings at the currency's scale. */
    private static byte[] canonical(Customer customer, CurrencyCode currency, List<LineItem> items,
                                    PaymentInstrument payment, BigDecimal total) {
        var mapper = Json.mapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("currency", currency.name());
        var customerNode = root.putObject("customer");
        putIfPresent(customerNode, "email", customer.email());
        customerNode.put("id", customer.id());
        putIfPresent(customerNode, "name", customer.name());
        var itemsNode = root.putArray("items");
        for (var item : items) {
            var itemNode = itemsNode.addObject();
            itemNode.put("quantity", item.quantity());
            itemNode.put("sku", item.sku());
            itemNode.put("unitPrice", item.unitPrice().toPlainString());
        }
        root.putObject("payment").put("token", payment.token());
        if (total != null) {
            root.put("total", total.toPlainString());
        }
        try {
            return mapper.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical form not serializable", e);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String hash(byte[] canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Collects field errors up to a cap, so a hostile body cannot make the response grow without bound. */
    private static final class Errors {
        private final List<FieldError> list = new ArrayList<>();

        void add(String pointer, String detail) {
            if (!full()) {
                list.add(FieldError.body(pointer, detail));
            }
        }

        boolean full() {
            return list.size() >= MAX_ERRORS;
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        Problem toProblem() {
            var detail = list.size() == 1 ? "One field is invalid." : list.size() + " fields are invalid.";
            return Problem.invalid(detail + " See errors for each field.", list);
        }
    }
}
