package com.orderflow.local;

/** The local stack cannot start; the message tells the user what to do, so no stack trace is shown. */
public class StartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A port the stack needs is taken by another process. */
    public static StartupException portInUse(int port, Setting setting) {
        String suggestion = String.valueOf(port == 65_535 ? port - 1 : port + 1);
        return new StartupException("Port " + port + " is already in use (" + setting.label() + "). Free it or start with "
                + setting.howToSet(suggestion) + ".");
    }
}
