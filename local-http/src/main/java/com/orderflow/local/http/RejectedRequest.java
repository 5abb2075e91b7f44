package com.orderflow.local.http;

/** A request the server will not pass on: the status to answer with and why. The connection closes after. */
final class RejectedRequest extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    RejectedRequest(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    static RejectedRequest bodyTooLarge(ServerLimits limits) {
        return new RejectedRequest(413, "The request body is larger than " + limits.maxBodyBytes() + " bytes");
    }

    int status() {
        return status;
    }
}
