package com.orderflow.order;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The currencies orderflow accepts, each with the number of decimal places its amounts carry. */
public enum CurrencyCode {
    USD(2),
    EUR(2),
    GBP(2),
    JPY(0);

    private final int scale;

    CurrencyCode(int scale) {
        this.scale = scale;
    }

    /** Decimal places of a minor unit (2 for cents, 0 for yen). */
    public int scale() {
        return scale;
    }

    /** True when {@code amount} has no more decimal places than this currency allows. */
    public boolean fits(BigDecimal amount) {
        return amount.stripTrailingZeros().scale() <= scale;
    }

    /** The amount at exactly this currency's scale; throws when that would lose precision. */
    public BigDecimal normalize(BigDecimal amount) {
        return amount.setScale(scale, RoundingMode.UNNECESSARY);
    }

    /** The enum constant for an ISO 4217 code, or null when orderflow does not support it. */
    public static CurrencyCode parseOrNull(String code) {
        if (code == null) {
            return null;
        }
        for (var c : values()) {
            if (c.name().equals(code)) {
                return c;
            }
        }
        return null;
    }
}
