package io.runledger.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The format of RunLedger API keys (a prefix that says what the key is, then 256 random
 * bits, base64url) and their hash: only hashes are ever stored or compared.
 */
public final class ApiKeys {
    /** Prefix of the admin key, so a leaked key tells what it is. */
    public static final String ADMIN_PREFIX = "rla_";
    /** Prefix of scope keys. */
    public static final String SCOPE_PREFIX = "rlk_";
    /** Prefix of run access tokens (see {@link RunAccessToken}). */
    public static final String RUN_TOKEN_PREFIX = "rlt_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /**
     * A new key: the prefix and 256 random bits, base64url.
     *
     * @param prefix {@link #ADMIN_PREFIX} or {@link #SCOPE_PREFIX}
     * @return the key
     */
    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * SHA-256 of the key, hex. Keys are 256 random bits, so an unsalted fast hash suffices.
     *
     * @param key the key
     * @return 64 lower-case hex digits
     */
    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a run access token issued with the admin key keeps of that key: the hash of its
     * hash, so a server given another admin key refuses the tokens the old one issued, and the
     * database holds nothing a presented key could be checked against.
     *
     * @param adminKeyHash the hash of the admin key
     * @return the tag stored with the tokens that key issues
     */
    public static String adminKeyTag(String adminKeyHash) {
        return hash("run-access:" + adminKeyHash);
    }

    /**
     * Compares two hashes in constant time.
     *
     * @param a a hash
     * @param b another
     * @return true if they are equal
     */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
