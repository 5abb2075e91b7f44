package com.orderflow.api.routing;

import com.orderflow.api.http.ApiRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {

    private final Router router = new Router();

    private static ApiRequest request(String method, String path, String resource, Map<String, String> parameters) {
        return new ApiRequest(method, path, resource, parameters, Map.of(), Map.of(), null, false, "", "test");
    }

    @Test
    void plainPath_alone_isEnough() {
        assertThat(router.match(request("GET", "/orders/ord_x", null, null)))
                .isEqualTo(new RouteMatch.Found(new Route.GetOrder("ord_x")));
        assertThat(router.match(request("POST", "/orders/", null, null)))
                .isEqualTo(new RouteMatch.Found(new Route.CreateOrder()));
    }

    @Test
    void resourceTemplate_alone_isEnough_whateverTheParameterName() {
        assertThat(router.match(request("GET", null, "/orders/{orderId}/history", Map.of("orderId", "ord_y"))))
                .isEqualTo(new RouteMatch.Found(new Route.GetOrderHistory("ord_y")));
        assertThat(router.match(request("GET", null, "/orders/{id}", Map.of("id", "ord_z"))))
                .isEqualTo(new RouteMatch.Found(new Route.GetOrder("ord_z")));
    }

    @Test
    void resourceTemplate_winsOverAPathWithACustomDomainBasePath() {
        var match = router.match(request("GET", "/v1/orders/ord_a", "/orders/{id}", Map.of("id", "ord_a")));

        assertThat(match).isEqualTo(new RouteMatch.Found(new Route.GetOrder("ord_a")));
    }

    @Test
    void greedyProxyResource_routesByItsProxyParameter() {
        var match = router.match(request("GET", "/ignored", "/{proxy+}", Map.of("proxy", "orders/ord_b/history")));

        assertThat(match).isEqualTo(new RouteMatch.Found(new Route.GetOrderHistory("ord_b")));
    }

    @Test
    void unknownTemplate_fallsBackToThePath() {
        var match = router.match(request("GET", "/orders", "/something/{else+}", Map.of()));

        assertThat(match).isEqualTo(new RouteMatch.Found(new Route.ListOrders()));
    }

    @Test
    void head_routesWhereGetDoes() {
        assertThat(router.match(request("HEAD", "/orders", null, null))).isEqualTo(new RouteMatch.Found(new Route.ListOrders()));
        assertThat(router.match(request("HEAD", "/orders/ord_c", null, null)))
                .isEqualTo(new RouteMatch.Found(new Route.GetOrder("ord_c")));
        assertThat(router.match(request("HEAD", "/orders/ord_c/history", null, null)))
                .isEqualTo(new RouteMatch.Found(new Route.GetOrderHistory("ord_c")));
    }

    @Test
    void wrongMethod_listsTheAllowedOnes() {
        assertThat(router.match(request("DELETE", "/orders", null, null)))
                .isEqualTo(new RouteMatch.MethodNotAllowed(List.of("GET", "HEAD", "POST")));
        assertThat(router.match(request("post", "/orders/ord_c", null, null)))
                .isEqualTo(new RouteMatch.MethodNotAllowed(List.of("GET", "HEAD")));
    }

    @Test
    void everythingElse_isNotFound() {
        for (var path : new String[]{"/", "", "/order", "/orders/a/b", "/orders/a/history/x", "/customers/1", "//orders",
                "/orders//history", "/orders//", "//"}) {
            assertThat(router.match(request("GET", path, null, null))).as(path).isEqualTo(new RouteMatch.NotFound());
        }
        assertThat(router.match(request("GET", null, null, null))).isEqualTo(new RouteMatch.NotFound());
    }
}
