package dev.compactor.tokens;

/** Estimates how many tokens a model family spends on a piece of text. */
public interface TokenCounter {
    int count(String text);

    /** A short name for reports: {@code approximate}, {@code o200k_base}, {@code cl100k_base}. */
    String name();
}
