package dev.compactor.support;

/** The text is not well-formed JSON (or not the JSON shape the caller required). */
public final class JsonSyntaxException extends RuntimeException {
    public JsonSyntaxException(String message) {
        super(message);
    }
}
