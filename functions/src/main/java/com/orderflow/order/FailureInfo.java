package com.orderflow.order;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * A technical failure caught by the workflow, as Step Functions names it ({@code Error}, {@code Cause});
 * the aliases let a Catch block's {@code {"Error","Cause"}} object be passed through unchanged.
 */
public record FailureInfo(@JsonAlias("Error") String error, @JsonAlias("Cause") String cause) {
}
