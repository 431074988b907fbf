package dev.compactor.tokens;

/** Estimates how many tokens a model family spends on a piece of serialised text. */
public interface TokenCounter {
    int count(String text);
}
