package io.sidstream.tokenizer.job;

/** The text encoder failed on one upload's text on its own, while it embeds other texts: the upload is dead-lettered. */
public final class TextEncodingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TextEncodingException(Throwable cause) {
        super("the text encoder failed on this text: " + cause, cause);
    }
}
