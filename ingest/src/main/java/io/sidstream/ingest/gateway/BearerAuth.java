package io.sidstream.ingest.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Optional bearer-token check. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the
 * time taken reveals neither a token's content nor its length; every configured token is compared every time.
 */
public final class BearerAuth {

    private static final String PREFIX = "Bearer ";
    private final List<byte[]> digests;

    public BearerAuth(List<String> tokens) {
        this.digests = tokens.stream().map(BearerAuth::sha256).toList();
    }

    public boolean enabled() {
        return !digests.isEmpty();
    }

    /** True when authentication is off or the Authorization header carries a configured token. */
    public boolean allows(String authorizationHeader) {
        if (!enabled()) {
            return true;
        }
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        byte[] presented = sha256(authorizationHeader.substring(PREFIX.length()).trim());
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, presented);
        }
        return match;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
