package com.orderflow.local.apigw;

import java.util.List;
import java.util.Map;

/** An HTTP response ready to be written: status, headers (each with every value) and body bytes. */
public record OutgoingResponse(int status, Map<String, List<String>> headers, byte[] body) {
}
