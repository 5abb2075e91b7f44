package com.orderflow.local.apigw;

import com.orderflow.api.http.ApiResponse;
import com.orderflow.api.http.Problem;
import com.orderflow.local.http.Headers;
import com.orderflow.local.http.Response;
import java.nio.charset.StandardCharsets;

/**
 * The API's own problem documents (RFC 9457, rendered by the API's {@link ApiResponse#problem}) for what the local
 * front end answers itself: requests it refuses before the function runs, a full server, the execution view's
 * errors. So every error a client of the local stack sees has the same fields, whoever answered it.
 */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    /**
     * A problem response.
     *
     * @param instance  the request's path when it is known (cut to a bounded length), else null
     * @param requestId the request id, also sent as {@code x-amzn-RequestId}; null for none
     */
    public static Response of(int status, String detail, String instance, String requestId) {
        return of(Problem.of(status, detail), instance, requestId);
    }

    public static Response of(Problem problem, String instance, String requestId) {
        var rendered = ApiResponse.problem(problem, instance, requestId);
        var headers = Headers.none();
        for (var header : rendered.headers().entrySet()) {
            headers = headers.with(header.getKey(), header.getValue());
        }
        if (requestId != null) {
            headers = headers.with("x-amzn-RequestId", requestId);
        }
        return new Response(rendered.status(), headers, rendered.body().getBytes(StandardCharsets.UTF_8));
    }
}
