package com.orderflow.cdk.security;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.services.wafv2.CfnWebACL;

/** WAF statements that pick out order requests and oversized bodies. */
final class OrderRequests {

    private OrderRequests() {
    }

    /**
     * {@code POST} to a path ending in {@code /orders}: WAF sees the path with the stage in front
     * ({@code /dev/orders}), and a suffix match also holds for a custom domain without the stage.
     */
    static CfnWebACL.StatementProperty postOrders() {
        return CfnWebACL.StatementProperty.builder()
                .andStatement(CfnWebACL.AndStatementProperty.builder()
                        .statements(List.of(
                                byteMatch(CfnWebACL.FieldToMatchProperty.builder().method(Map.of()).build(), "POST", "EXACTLY"),
                                byteMatch(CfnWebACL.FieldToMatchProperty.builder().uriPath(Map.of()).build(), "/orders", "ENDS_WITH")))
                        .build())
                .build();
    }

    /** A request an earlier rule labelled {@code label}, unless it is {@code POST /orders}. */
    static CfnWebACL.StatementProperty labelledButNotPostOrders(String label) {
        return CfnWebACL.StatementProperty.builder()
                .andStatement(CfnWebACL.AndStatementProperty.builder()
                        .statements(List.of(
                                CfnWebACL.StatementProperty.builder()
                                        .labelMatchStatement(CfnWebACL.LabelMatchStatementProperty.builder()
                                                .scope("LABEL")
                                                .key(label)
                                                .build())
                                        .build(),
                                CfnWebACL.StatementProperty.builder()
                                        .notStatement(CfnWebACL.NotStatementProperty.builder().statement(postOrders()).build())
                                        .build()))
                        .build())
                .build();
    }

    /**
     * A body longer than {@code bytes}. A body beyond WAF's inspection limit counts as a match (oversize handling
     * {@code MATCH}), which with the 64 KB limit is exactly "longer than 65,536 bytes".
     */
    static CfnWebACL.StatementProperty bodyLargerThan(int bytes) {
        return CfnWebACL.StatementProperty.builder()
                .sizeConstraintStatement(CfnWebACL.SizeConstraintStatementProperty.builder()
                        .fieldToMatch(CfnWebACL.FieldToMatchProperty.builder()
                                .body(CfnWebACL.BodyProperty.builder().oversizeHandling("MATCH").build())
                                .build())
                        .comparisonOperator("GT")
                        .size(bytes)
                        .textTransformations(List.of(none()))
                        .build())
                .build();
    }

    private static CfnWebACL.StatementProperty byteMatch(CfnWebACL.FieldToMatchProperty field, String value, String position) {
        return CfnWebACL.StatementProperty.builder()
                .byteMatchStatement(CfnWebACL.ByteMatchStatementProperty.builder()
                        .fieldToMatch(field)
                        .searchString(value)
                        .positionalConstraint(position)
                        .textTransformations(List.of(none()))
                        .build())
                .build();
    }

    private static CfnWebACL.TextTransformationProperty none() {
        return CfnWebACL.TextTransformationProperty.builder().priority(0).type("NONE").build();
    }
}
