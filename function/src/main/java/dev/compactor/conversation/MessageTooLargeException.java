package dev.compactor.conversation;

/** Something to store exceeds DynamoDB's item or transaction size even compressed; nothing was stored. */
public final class MessageTooLargeException extends RuntimeException {
    public MessageTooLargeException(String message) {
        super(message);
    }
}
