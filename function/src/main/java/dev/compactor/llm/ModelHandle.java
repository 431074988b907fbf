package dev.compactor.llm;

/** A model handle {@code provider/model}; the model part may itself contain slashes. */
public record ModelHandle(String provider, String model) {

    /** Splits at the first slash; null when the text has no provider part or no model part. */
    public static ModelHandle parse(String handle) {
        if (handle == null) {
            return null;
        }
        int slash = handle.indexOf('/');
        if (slash <= 0 || slash == handle.length() - 1) {
            return null;
        }
        return new ModelHandle(handle.substring(0, slash), handle.substring(slash + 1));
    }

    @Override
    public String toString() {
        return provider + "/" + model;
    }
}
