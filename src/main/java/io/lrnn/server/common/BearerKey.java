package io.lrnn.server.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The API key ({@code lrnn.security.api-key}) as REST's {@code Authorization} header and gRPC's
 * {@code authorization} metadata present it: {@code Bearer <key>}, compared in constant time.
 */
public final class BearerKey {

    private final byte[] keyDigest;

    /** @param apiKey the key; none is configured when it is null or blank */
    public BearerKey(String apiKey) {
        this.keyDigest = apiKey == null || apiKey.isBlank() ? null : sha256(apiKey);
    }

    /** Whether a key is configured at all. */
    public boolean configured() {
        return keyDigest != null;
    }

    /**
     * Null when {@code authorization} presents the key, else the message of the refusal (401,
     * UNAUTHENTICATED), saying what was expected and what was found.
     */
    public String refusal(String authorization) {
        String presented = bearerToken(authorization);
        if (presented != null && MessageDigest.isEqual(keyDigest, sha256(presented))) {
            return null;
        }
        return "Authorization: expected 'Bearer <API key>' (lrnn.security.api-key) but found "
                + (presented == null ? "no bearer token" : "a key that does not match");
    }

    /** The token of a {@code Bearer} authorization (scheme case-insensitive), else null. */
    private static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** Comparing fixed-length digests keeps the comparison constant-time whatever the lengths. */
    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
