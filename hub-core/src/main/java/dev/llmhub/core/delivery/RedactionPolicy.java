package dev.llmhub.core.delivery;

import dev.llmhub.api.CallRecord;
import dev.llmhub.api.PostApiCall;
import dev.llmhub.api.PreApiCall;
import dev.llmhub.api.ResponseContent;
import dev.llmhub.api.StreamChunk;
import dev.llmhub.core.config.DeliveryConfig;
import dev.llmhub.plugin.kit.BoundedMemo;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The one place that makes records and events safe to hand to a plugin. Every lane applies its
 * policy to every record and event before any plugin code sees it; plugins never redact themselves.
 *
 * <ul>
 *   <li>Headers: {@link #ALWAYS_REDACTED} plus {@code general_settings.redact_headers}, plus any name
 *       that looks like a credential (contains {@code api-key}, {@code api_key}, {@code apikey},
 *       {@code authorization}, {@code cookie}, {@code secret}, {@code password}, {@code token}), get
 *       the value {@link CallRecord#REDACTED}.</li>
 *   <li>{@code api_base}: user info, query string and fragment are removed (keys hide there).</li>
 *   <li>Request parameters and metadata: values under credential-like keys ({@code api_key},
 *       {@code password}, {@code client_secret}, {@code access_token}, {@code *_api_key}…), at any
 *       depth, become {@link CallRecord#REDACTED}; {@code max_tokens} and the like are not keys.</li>
 *   <li>Without message logging ({@code turn_off_message_logging}, or {@code message_logging: false}
 *       for one destination): every string in messages and response choices, except structural
 *       fields ({@link #STRUCTURAL_KEYS}), every stream delta and every pre-call message becomes
 *       {@link CallRecord#REDACTED}. Deny by default, so new content fields are covered too.</li>
 * </ul>
 */
public final class RedactionPolicy {

    /** Headers that are always redacted, whatever the config says. */
    public static final Set<String> ALWAYS_REDACTED = Set.of(
            "authorization", "proxy-authorization", "api-key", "x-api-key", "cookie", "set-cookie");

    /** Parts of a header name that mark it as a credential. */
    private static final List<String> CREDENTIAL_MARKERS = List.of(
            "api-key", "api_key", "apikey", "authorization", "cookie", "secret", "password", "token");

    /** Message and choice fields that describe structure, not content: kept when text is redacted. */
    public static final Set<String> STRUCTURAL_KEYS = Set.of(
            "role", "type", "id", "index", "finish_reason", "tool_call_id", "name", "logprobs");

    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@");
    /**
     * {@link #stripApiBase} of the few bases records carry (one per deployment): a URI parse per record
     * showed in profiles. Bounded, since reloads bring new deployments.
     */
    private static final BoundedMemo<String, String> STRIPPED = new BoundedMemo<>(256, RedactionPolicy::stripApiBase);
    /**
     * {@link #isSecretKey} of the few parameter and metadata keys records carry: lower-casing and seven
     * suffix tests per key per record showed in the file lane's profile.
     */
    private static final BoundedMemo<String, Boolean> SECRET_KEYS_SEEN = new BoundedMemo<>(1024,
            RedactionPolicy::matchesSecretKey);

    private final Set<String> headers;
    private final boolean messageLogging;
    /** {@link #isSecretHeader} per header name, for the same reason as {@link #SECRET_KEYS_SEEN}. */
    private final BoundedMemo<String, Boolean> secretHeadersSeen = new BoundedMemo<>(256, this::matchesSecretHeader);

    /**
     * @param extraHeaders     {@code general_settings.redact_headers}
     * @param messageLogging   false to replace message and response text
     */
    public RedactionPolicy(List<String> extraHeaders, boolean messageLogging) {
        Set<String> all = new TreeSet<>(ALWAYS_REDACTED);
        extraHeaders.forEach(h -> all.add(h.trim().toLowerCase(Locale.ROOT)));
        this.headers = Set.copyOf(all);
        this.messageLogging = messageLogging;
    }

    /** @param config the delivery config @return the proxy-wide policy */
    public static RedactionPolicy of(DeliveryConfig config) {
        return new RedactionPolicy(config.redactHeaders(), !config.turnOffMessageLogging());
    }

    /** @return this policy with message text also redacted (a destination with {@code message_logging: false}) */
    public RedactionPolicy withoutMessages() {
        return messageLogging ? new RedactionPolicy(List.copyOf(headers), false) : this;
    }

    /** @return whether message and response text is kept */
    public boolean messageLogging() {
        return messageLogging;
    }

    /**
     * @param r a record as the request path built it
     * @return the record a plugin may see: {@code r} itself when it holds nothing to hide (records are
     *         immutable; the proxy-wide pass already ran on every journaled record, so a lane's pass is
     *         usually a check, not a copy), else a copy that shares what did not change
     */
    public CallRecord apply(CallRecord r) {
        boolean headersSecret = hasSecretHeader(r.headers());
        boolean paramsSecret = hasSecretKey(r.requestParams());
        boolean metadataSecret = hasSecretKey(r.metadata());
        String apiBase = r.apiBase().orElse(null);
        String strippedBase = apiBase == null ? null : STRIPPED.get(apiBase);
        boolean baseChanged = apiBase != null && !apiBase.equals(strippedBase);
        if (messageLogging && !headersSecret && !paramsSecret && !metadataSecret && !baseChanged) {
            return r;
        }
        CallRecord.Builder b = r.toBuilder();
        if (headersSecret) {
            b.headers(redactHeaders(r.headers()));
        }
        if (paramsSecret) {
            b.requestParams(redactSecretKeys(r.requestParams()));
        }
        if (metadataSecret) {
            b.metadata(redactSecretKeys(r.metadata()));
        }
        if (baseChanged) {
            b.apiBase(strippedBase);
        }
        if (!messageLogging) {
            b.messages(redactMessages(r.messages()));
            r.response().ifPresent(c -> b.response(new ResponseContent(c.id(), c.created(),
                    redactMessages(c.choices()), c.finishReasons(), c.systemFingerprint(), c.serviceTier())));
        }
        return b.build();
    }

    /** @param e a pre-call event @return the event a plugin may see */
    public PreApiCall apply(PreApiCall e) {
        if (messageLogging) {
            return new PreApiCall(e.callId(), e.model(), e.deployment(), e.callType(), e.messages(),
                    redactSecretKeys(e.requestParams()), e.time());
        }
        return new PreApiCall(e.callId(), e.model(), e.deployment(), e.callType(), redactMessages(e.messages()),
                redactSecretKeys(e.requestParams()), e.time());
    }

    /** @param e a post-call event @return the event a plugin may see (nothing secret in it) */
    public PostApiCall apply(PostApiCall e) {
        return e;
    }

    /** @param c a stream chunk @return the chunk a plugin may see */
    public StreamChunk apply(StreamChunk c) {
        return messageLogging ? c : new StreamChunk(c.callId(), c.model(), c.index(), CallRecord.REDACTED, c.time());
    }

    /**
     * Defense in depth for request parameters and metadata: a client may send a per-request
     * {@code api_key} in the body (LiteLLM allows it) or a token in metadata. Values under
     * credential-like keys, at any depth, become {@link CallRecord#REDACTED}.
     *
     * @param map a JSON-like map
     * @return a copy with credential-like keys redacted
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> redactSecretKeys(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (isSecretKey(k) && v != null) {
                out.put(k, CallRecord.REDACTED);
            } else if (v instanceof Map<?, ?> m) {
                out.put(k, redactSecretKeys((Map<String, Object>) m));
            } else if (v instanceof List<?> l) {
                List<Object> copy = new ArrayList<>(l.size());
                l.forEach(o -> copy.add(o instanceof Map<?, ?> m ? redactSecretKeys((Map<String, Object>) m) : o));
                out.put(k, copy);
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    private static final Set<String> SECRET_KEYS = Set.of("api_key", "api-key", "apikey", "authorization",
            "password", "secret", "client_secret", "access_token", "refresh_token", "token", "bearer_token",
            "aws_secret_access_key", "aws_session_token");

    /** @param key a parameter or metadata key @return whether its value is a credential */
    static boolean isSecretKey(String key) {
        return SECRET_KEYS_SEEN.get(key);
    }

    private static boolean matchesSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_KEYS.contains(k) || k.endsWith("_api_key") || k.endsWith("_secret") || k.endsWith("_password")
                || k.endsWith("_secret_key") || k.endsWith("_private_key") || k.endsWith("_token")
                || k.endsWith("-api-key");
    }

    /** @return whether any value under a credential-like key, at any depth, is not yet redacted */
    @SuppressWarnings("unchecked")
    private static boolean hasSecretKey(Map<String, Object> map) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = e.getValue();
            if (v != null && isSecretKey(e.getKey()) && !CallRecord.REDACTED.equals(v)) {
                return true;
            }
            if (v instanceof Map<?, ?> m && hasSecretKey((Map<String, Object>) m)) {
                return true;
            }
            if (v instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m && hasSecretKey((Map<String, Object>) m)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** @return whether a secret header still shows its value */
    private boolean hasSecretHeader(Map<String, String> headers) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (!CallRecord.REDACTED.equals(e.getValue()) && isSecretHeader(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    /** @param headers lower- or mixed-case names @return a copy with secret values redacted */
    public Map<String, String> redactHeaders(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k, isSecretHeader(k) ? CallRecord.REDACTED : v));
        return out;
    }

    /** @param name a header name @return whether its value must never leave the core */
    public boolean isSecretHeader(String name) {
        return secretHeadersSeen.get(name);
    }

    private boolean matchesSecretHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (headers.contains(n)) {
            return true;
        }
        for (String marker : CREDENTIAL_MARKERS) {
            if (n.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param apiBase an upstream base URL
     * @return it without user info, query string or fragment
     */
    public static String stripApiBase(String apiBase) {
        try {
            URI u = new URI(apiBase);
            if (u.getScheme() != null && u.getRawAuthority() != null) {
                String host = u.getHost() == null ? u.getRawAuthority().replaceFirst("^[^@]*@", "") : u.getHost();
                return new URI(u.getScheme(), null, host, u.getPort(), u.getPath(), null, null).toString();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // not a well-formed URI: fall back to textual stripping below
        }
        String s = apiBase;
        int cut = indexOfAny(s, '?', '#');
        if (cut >= 0) {
            s = s.substring(0, cut);
        }
        return USER_INFO.matcher(s).replaceFirst("$1");
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static List<Map<String, Object>> redactMessages(List<Map<String, Object>> messages) {
        List<Map<String, Object>> out = new ArrayList<>(messages.size());
        for (Map<String, Object> m : messages) {
            out.add(redactMap(m));
        }
        return out;
    }

    private static Map<String, Object> redactMap(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, STRUCTURAL_KEYS.contains(k) && !(v instanceof Map) && !(v instanceof List)
                ? v : redactValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object redactValue(Object v) {
        if (v instanceof String) {
            return CallRecord.REDACTED;
        }
        if (v instanceof Map<?, ?> m) {
            return redactMap((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(o -> out.add(redactValue(o)));
            return out;
        }
        return v;
    }
}
