package io.undercurrent.edge.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undercurrent.rules.TableRef;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes and verifies the protocol's opaque {@code position}: a {@link ResumePosition}, signed with
 * HMAC-SHA256 under a key derived from the deployment's secret and topic prefix, so that every edge
 * of the deployment accepts it and a position that was altered, or issued by another deployment,
 * is recognised and answered with a reset. The digests it carries (query, identity, rules version)
 * are keyed too, so a position reveals nothing of them. Form: {@code u1.} then base64url of the
 * content followed by 16 bytes of MAC. Thread-safe.
 */
final class PositionCodec {

    static final String PREFIX = "u1.";
    /** Longest position text accepted; longer is not one of ours. */
    static final int MAX_LENGTH = 16_384;

    private static final int VERSION = 1;
    private static final int MAC_BYTES = 16;
    private static final int DIGEST_BYTES = 16;
    /** Claims that change with every token of the same subscriber. */
    private static final Set<String> VOLATILE_CLAIMS = Set.of("exp", "iat", "nbf", "jti");

    private final SecretKeySpec key;
    /** One initialised MAC per thread: looking the algorithm up and keying it per use cost more than the MAC. */
    private final ThreadLocal<Mac> macs;

    /**
     * @param secret     the deployment's shared secret, or null when it has none (positions are then
     *                   bound to the deployment's name only: they still detect accidents, not forgery)
     * @param deployment the deployment's name (its topic prefix): positions of another are refused
     */
    PositionCodec(String secret, String deployment) {
        byte[] material = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        byte[] derived = hmac(
                new SecretKeySpec(material.length == 0 ? new byte[1] : material, "HmacSHA256"),
                ("undercurrent resume positions v1\n" + deployment).getBytes(StandardCharsets.UTF_8));
        this.key = new SecretKeySpec(derived, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> mac(key));
    }

    /** Positions for one subscription's frames, bound to its query. */
    EdgeSubscription.Positions bind(byte[] queryDigest) {
        return new EdgeSubscription.Positions() {
            @Override
            public String encode(ResumePosition position) {
                return PositionCodec.this.encode(position);
            }

            @Override
            public byte[] query() {
                return queryDigest;
            }

            @Override
            public byte[] identity(Map<String, Object> auth) {
                return PositionCodec.this.identity(auth);
            }

            @Override
            public byte[] rules(String rulesVersion) {
                return PositionCodec.this.rules(rulesVersion);
            }
        };
    }

    /** The text clients receive. */
    String encode(ResumePosition position) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 24 * position.partitionCount());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeBoolean(position.resumable());
            out.write(position.query());
            out.write(position.identity());
            out.write(position.rules());
            out.writeUTF(position.readPoint());
            out.writeShort(position.partitionCount());
            for (int p = 0; p < position.partitionCount(); p++) {
                out.writeLong(position.next()[p]);
                out.writeUTF(position.orders()[p] == null ? "" : position.orders()[p]);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a position", e);
        }
        byte[] content = bytes.toByteArray();
        byte[] signed = Arrays.copyOf(content, content.length + MAC_BYTES);
        System.arraycopy(macs.get().doFinal(content), 0, signed, content.length, MAC_BYTES);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
    }

    /**
     * The position a client sent back, or null when it is not one this deployment issued (malformed,
     * altered, or signed under another key). Never throws on any input.
     */
    ResumePosition decode(String text) {
        if (text == null || text.length() > MAX_LENGTH || !text.startsWith(PREFIX)) {
            return null;
        }
        byte[] signed;
        try {
            signed = Base64.getUrlDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (signed.length <= MAC_BYTES) {
            return null;
        }
        byte[] content = Arrays.copyOf(signed, signed.length - MAC_BYTES);
        byte[] mac = Arrays.copyOfRange(signed, signed.length - MAC_BYTES, signed.length);
        if (!MessageDigest.isEqual(mac, Arrays.copyOf(macs.get().doFinal(content), MAC_BYTES))) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(content))) {
            if (in.readUnsignedByte() != VERSION) {
                return null;
            }
            boolean resumable = in.readBoolean();
            byte[] query = in.readNBytes(DIGEST_BYTES);
            byte[] identity = in.readNBytes(DIGEST_BYTES);
            byte[] rules = in.readNBytes(DIGEST_BYTES);
            String readPoint = in.readUTF();
            int count = in.readUnsignedShort();
            long[] next = new long[count];
            String[] orders = new String[count];
            for (int p = 0; p < count; p++) {
                next[p] = in.readLong();
                String order = in.readUTF();
                orders[p] = order.isEmpty() ? null : order;
            }
            if (in.available() != 0 || rules.length != DIGEST_BYTES) {
                return null;
            }
            return new ResumePosition(resumable, query, identity, rules, readPoint, next, orders);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Digest of a query as a subscribe frame states it; the frame's id, type and {@code after} are not part of it. */
    byte[] query(TableRef table, JsonNode frame) {
        StringBuilder text = new StringBuilder(table.source())
                .append('\n')
                .append(table.table())
                .append('\n');
        JsonNode query = frame;
        if (frame instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            copy.remove(List.of("id", "type", "after", "source", "table"));
            query = copy;
        }
        canonical(query, text);
        return digest("query", text.toString());
    }

    /** Digest of who the subscriber is: its claims but those that change with every token. */
    byte[] identity(Map<String, Object> claims) {
        if (claims == null) {
            return digest("identity", "anonymous");
        }
        Map<String, Object> stable = new TreeMap<>(claims);
        VOLATILE_CLAIMS.forEach(stable::remove);
        StringBuilder text = new StringBuilder();
        canonicalValue(stable, text);
        return digest("identity", text.toString());
    }

    byte[] rules(String rulesVersion) {
        return digest("rules", String.valueOf(rulesVersion));
    }

    private byte[] digest(String what, String text) {
        return Arrays.copyOf(macs.get().doFinal((what + '\n' + text).getBytes(StandardCharsets.UTF_8)), DIGEST_BYTES);
    }

    /** JSON with object keys sorted, so equal queries digest alike whatever order their keys came in. */
    private static void canonical(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (String name : names) {
                out.append(quote(name)).append(':');
                canonical(node.get(name), out);
                out.append(',');
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                canonical(it.next(), out);
                out.append(',');
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static void canonicalValue(Object value, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            new TreeMap<>((Map<String, Object>) map).forEach((k, v) -> {
                out.append(quote(k)).append(':');
                canonicalValue(v, out);
                out.append(',');
            });
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (Object v : list) {
                canonicalValue(v, out);
                out.append(',');
            }
            out.append(']');
        } else if (value instanceof String s) {
            out.append(quote(s));
        } else {
            out.append(value);
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        return mac(key).doFinal(data);
    }

    private static Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
