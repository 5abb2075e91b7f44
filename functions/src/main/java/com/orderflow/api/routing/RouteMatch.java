package com.orderflow.api.routing;

import java.util.List;

/** What the router made of a method and path: an operation, an unknown path, or a known path with the wrong method. */
public sealed interface RouteMatch {

    record Found(Route route) implements RouteMatch {
    }

    record NotFound() implements RouteMatch {
    }

    /** The path exists but not for this method; {@code allowed} feeds the {@code Allow} header. */
    record MethodNotAllowed(List<String> allowed) implements RouteMatch {

        public MethodNotAllowed {
            allowed = List.copyOf(allowed);
        }

        public String allowHeader() {
            return String.join(", ", allowed);
        }
    }
}
