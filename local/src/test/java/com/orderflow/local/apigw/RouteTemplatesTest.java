package com.orderflow.local.apigw;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTemplatesTest {

    @Test
    void literalSegment_winsOverParameter() {
        var routes = new RouteTemplates(List.of("/orders/{id}", "/orders/search"));

        assertThat(routes.match("/orders/search").resource()).isEqualTo("/orders/search");
        assertThat(routes.match("/orders/ord_1").resource()).isEqualTo("/orders/{id}");
    }

    @Test
    void trailingSlash_matchesTheSameResource() {
        assertThat(RouteTemplates.ORDERFLOW.match("/orders/").resource()).isEqualTo("/orders");
    }

    @Test
    void root_isTheProxyResourceWithoutParameters() {
        var match = RouteTemplates.ORDERFLOW.match("/");

        assertThat(match.resource()).isEqualTo(RouteTemplates.PROXY);
        assertThat(match.pathParameters()).isEmpty();
    }

    @Test
    void emptySegment_doesNotMatchAParameter() {
        assertThat(RouteTemplates.ORDERFLOW.match("/orders//history").resource()).isEqualTo(RouteTemplates.PROXY);
    }

    @Test
    void plusInPath_staysAPlus() {
        assertThat(RouteTemplates.ORDERFLOW.match("/orders/a+b").pathParameters()).isEqualTo(Map.of("id", "a+b"));
    }
}
