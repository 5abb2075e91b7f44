package com.orderflow.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrderRecordKeyTest {

    private static final String ID = "ord_01j0000000000000000000000a";

    @Test
    void key_andOrderIdOfKey_areInverse() {
        assertThat(OrderId.isValid(ID)).isTrue();
        assertThat(OrderRecord.key(ID)).isEqualTo("orders/" + ID + ".json").startsWith(OrderRecord.KEY_PREFIX);
        assertThat(OrderRecord.orderIdOfKey(OrderRecord.key(ID))).contains(ID);
    }

    @Test
    void orderIdOfKey_isEmptyForKeysThatAreNoOrderRecord() {
        assertThat(OrderRecord.orderIdOfKey("orders/.json")).isEmpty();
        assertThat(OrderRecord.orderIdOfKey("orders/not-an-id.json")).isEmpty();
        assertThat(OrderRecord.orderIdOfKey("orders/" + ID + ".json.bak")).isEmpty();
        assertThat(OrderRecord.orderIdOfKey("order-index/COMPLETED/" + ID)).isEmpty();
        assertThat(OrderRecord.orderIdOfKey(null)).isEmpty();
    }
}
